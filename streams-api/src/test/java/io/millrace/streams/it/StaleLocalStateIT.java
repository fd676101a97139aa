package io.millrace.streams.it;

import static io.millrace.streams.it.StreamsItSupport.await;
import static io.millrace.streams.it.StreamsItSupport.awaitState;
import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.EmbeddedBroker;
import io.millrace.streams.MillraceStreams;
import io.millrace.streams.internals.state.StateDirectories;
import io.millrace.streams.state.QueryableStoreTypes;
import io.millrace.streams.state.ReadOnlyKeyValueStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Local state that no longer matches the broker: a checkpoint beyond the changelog's end (a new
 * broker, or a recreated changelog) marks the task corrupted, its stores are wiped and rebuilt
 * from the changelog, and counting starts again from zero.
 */
class StaleLocalStateIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private Path stateDir;

  @AfterEach
  void deleteState() {
    if (stateDir != null) {
      StateDirectories.deleteRecursively(stateDir.toFile());
    }
  }

  @Test
  void aNewBrokerWithTheSameStateDirCountsFromZero() throws Exception {
    stateDir = StreamsItSupport.tempDir("stale-state-it");
    List<String> lines = List.of("all streams lead to kafka", "hello kafka streams", "join kafka summit");
    Map<String, Long> once = WordCountIT.expected(lines);

    try (EmbeddedBroker first = StreamsItSupport.broker()) {
      runOnce(first, lines, once);
    }
    // The same application, state dir and input on a brand-new broker: the checkpoints point
    // beyond the (empty) changelogs, so the old counts must not be continued.
    try (EmbeddedBroker second = StreamsItSupport.broker()) {
      runOnce(second, lines, once);
    }
  }

  /** Runs word count over {@code lines} on {@code broker}, checks its output and store, and stops it. */
  private void runOnce(EmbeddedBroker broker, List<String> lines, Map<String, Long> expected)
      throws Exception {
    StreamsItSupport.createTopics(broker, 3, WordCount.INPUT, WordCount.OUTPUT);
    MillraceStreams streams = new MillraceStreams(WordCount.topology(),
        StreamsItSupport.streamsProps(broker, "stale-state", stateDir));
    try {
      streams.start();
      StreamsItSupport.produceLines(broker, WordCount.INPUT, lines);
      try (StreamsItSupport.LatestCounts counts = new StreamsItSupport.LatestCounts(broker, WordCount.OUTPUT)) {
        await(WAIT, () -> counts.poll().equals(expected), () -> "counts " + counts.poll() + " expected " + expected);
      }
      awaitState(streams, MillraceStreams.State.RUNNING, WAIT);
      ReadOnlyKeyValueStore<String, Long> store = streams.store("counts-store", QueryableStoreTypes.keyValueStore());
      assertThat(store.get("kafka")).isEqualTo(expected.get("kafka"));
      assertThat(store.approximateNumEntries()).isEqualTo(expected.size());
    } finally {
      assertThat(streams.close(Duration.ofSeconds(30))).isTrue();
    }
  }
}
