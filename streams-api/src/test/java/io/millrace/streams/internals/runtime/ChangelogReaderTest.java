package io.millrace.streams.internals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.streams.internals.processor.CheckpointFile;
import io.millrace.streams.internals.processor.StandbyRecordCollector;
import io.millrace.streams.internals.processor.TaskStateManager;
import io.millrace.streams.internals.state.CacheBudget;
import io.millrace.streams.internals.state.StateDirectories;
import io.millrace.streams.processor.TaskId;
import io.millrace.streams.state.KeyValueStore;
import io.millrace.streams.state.StateStore;
import io.millrace.streams.state.StoreBuilder;
import io.millrace.streams.state.Stores;
import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Restoring against changelog offsets that do not match the local state: a checkpoint beyond
 * the end or before the start, or a position that falls out of range while reading, reports the
 * task corrupted; reopened without the checkpoint, the store starts empty. kafka-clients'
 * MockConsumer plays the changelog.
 */
class ChangelogReaderTest {
  private static final TaskId TASK = new TaskId(0, 1);
  private static final TopicPartition CHANGELOG = new TopicPartition("app-counts-changelog", 1);

  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("none");
  private final Metrics metrics = new Metrics();
  private ChangelogReader reader;
  private File taskDir;

  @BeforeEach
  void setUp() throws Exception {
    taskDir = Files.createTempDirectory("changelog-reader-test").toFile();
    reader = new ChangelogReader(consumer, new ThreadMetrics(metrics, "t"));
  }

  @AfterEach
  void tearDown() {
    metrics.close();
    StateDirectories.deleteRecursively(taskDir);
  }

  private static StoreBuilder<KeyValueStore<String, Long>> counts() {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("counts"), Serdes.String(), Serdes.Long());
  }

  /** Opens the task's store (a persistent key-value store logged to CHANGELOG). */
  private TaskStateManager open() {
    TaskStateManager sm = new TaskStateManager(TASK, "app", taskDir, Map.of(), new CacheBudget(0),
        StandbyRecordCollector.INSTANCE, true);
    StoreBuilder<KeyValueStore<String, Long>> builder = counts();
    sm.openStores(Map.of("counts", builder), Map.<String, StateStore>of("counts", builder.build()));
    return sm;
  }

  @SuppressWarnings("unchecked")
  private static KeyValueStore<String, Long> store(TaskStateManager sm) {
    return (KeyValueStore<String, Long>) sm.store("counts");
  }

  private void checkpointAt(long offset) {
    new CheckpointFile(new File(taskDir, ".checkpoint")).write(Map.of(CHANGELOG, offset));
  }

  private void changelog(long start, long end) {
    consumer.updateBeginningOffsets(Map.of(CHANGELOG, start));
    consumer.updateEndOffsets(Map.of(CHANGELOG, end));
  }

  private static ConsumerRecord<byte[], byte[]> record(long offset, String key, long value) {
    return new ConsumerRecord<>(CHANGELOG.topic(), CHANGELOG.partition(), offset,
        Serdes.String().serializer().serialize("", key), Serdes.Long().serializer().serialize("", value));
  }

  @Test
  void aCheckpointWithinTheChangelogRestoresOnlyTheTail() {
    checkpointAt(2);
    changelog(0, 4);
    TaskStateManager sm = open();
    reader.register(TASK, sm, false);
    consumer.schedulePollTask(() -> {
      consumer.addRecord(record(2, "kafka", 7));
      consumer.addRecord(record(3, "streams", 2));
    });
    ChangelogReader.Progress progress = reader.restore(Duration.ZERO);
    assertThat(progress.corrupted()).isEmpty();
    assertThat(progress.restored()).containsExactly(TASK);
    assertThat(store(sm).get("kafka")).isEqualTo(7L);
    assertThat(reader.isEmpty()).isTrue();
    sm.close(false);
  }

  @Test
  void aCheckpointBeyondTheChangelogsEndMarksTheTaskCorrupted() {
    checkpointAt(30);
    changelog(0, 0);
    TaskStateManager sm = open();
    reader.register(TASK, sm, true);
    ChangelogReader.Progress progress = reader.restore(Duration.ZERO);
    assertThat(progress.corrupted()).isEqualTo(Map.of(TASK, Set.of(CHANGELOG)));
    assertThat(progress.restored()).isEmpty();
    assertThat(reader.isEmpty()).isTrue();
    assertThat(consumer.assignment()).isEmpty();
    sm.close(false);
  }

  @Test
  void aCheckpointBeforeTheLogStartMarksTheTaskCorrupted() {
    checkpointAt(3);
    changelog(5, 9);
    TaskStateManager sm = open();
    reader.register(TASK, sm, false);
    assertThat(reader.restore(Duration.ZERO).corrupted()).isEqualTo(Map.of(TASK, Set.of(CHANGELOG)));
    assertThat(reader.hasActiveRestoration()).isFalse();
    sm.close(false);
  }

  @Test
  void anOffsetOutOfRangeWhileRestoringMarksTheTaskCorrupted() {
    changelog(0, 10);
    TaskStateManager sm = open();
    reader.register(TASK, sm, false);
    consumer.setPollException(new OffsetOutOfRangeException(Map.of(CHANGELOG, 4L)));
    ChangelogReader.Progress progress = reader.restore(Duration.ZERO);
    assertThat(progress.corrupted()).isEqualTo(Map.of(TASK, Set.of(CHANGELOG)));
    assertThat(reader.isEmpty()).isTrue();
    sm.close(false);
  }

  @Test
  void anInvalidatedCheckpointWipesTheStoreWhenItIsReopened() {
    TaskStateManager sm = open();
    sm.restore(CHANGELOG, List.of(record(11, "kafka", 41)));
    sm.flushStores();
    sm.checkpoint();
    assertThat(new CheckpointFile(new File(taskDir, ".checkpoint")).read()).isEqualTo(Map.of(CHANGELOG, 12L));

    sm.invalidateCheckpoints(Set.of(CHANGELOG));
    assertThat(sm.restoreStartOffset(CHANGELOG)).isEqualTo(-1);
    sm.close(false);
    assertThat(new CheckpointFile(new File(taskDir, ".checkpoint")).read()).isEmpty();

    TaskStateManager reopened = open();
    assertThat(store(reopened).get("kafka")).isNull();
    assertThat(reopened.restoreStartOffset(CHANGELOG)).isEqualTo(-1);
    reopened.close(false);
  }

  @Test
  void aValidCheckpointKeepsTheStoreWhenItIsReopened() {
    TaskStateManager sm = open();
    sm.restore(CHANGELOG, List.of(record(11, "kafka", 41)));
    sm.close(true);

    TaskStateManager reopened = open();
    assertThat(store(reopened).get("kafka")).isEqualTo(41L);
    assertThat(reopened.restoreStartOffset(CHANGELOG)).isEqualTo(12);
    reopened.close(false);
  }
}
