package io.millrace.engine.log;

import static io.millrace.engine.log.TestLogs.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cleaner's position survives restarts in each log dir's {@code cleaner-offset-checkpoint},
 * follows truncations down, and goes with a deleted log.
 */
class CleanerCheckpointTest {
    static final TopicPartition TP = new TopicPartition("changelog", 0);

    @TempDir
    Path logDir;
    ManualTime time = new ManualTime();
    /** No cleaner threads: passes run on the test thread through {@link LogManager#cleanLogsNow}. */
    Map<String, Object> broker = Map.of("log.cleaner.enable", false, "log.retention.check.interval.ms", 3_600_000L);
    LogConfig compacted = LogConfig.fromMap(Map.of(
        TopicConfig.CLEANUP_POLICY_CONFIG, "compact",
        LogConfig.INTERNAL_SEGMENT_BYTES_CONFIG, 1024,
        TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, 0.01,
        TopicConfig.FILE_DELETE_DELAY_MS_CONFIG, 0L));

    private LogManager open() {
        return LogManager.open(List.of(logDir), broker, time, topic -> compacted.values());
    }

    private static void appendRolled(PartitionLog log, int records, int keys) {
        for (int i = 0; i < records; i++) {
            log.appendAsLeader(TestLogs.records(new SimpleRecord(0L, bytes("k" + (i % keys)), bytes("v" + i))), 0);
        }
        log.roll();
        log.updateHighWatermark(log.logEndOffset());
    }

    private Map<TopicPartition, Long> checkpoint() throws Exception {
        Map<TopicPartition, Long> out = new HashMap<>();
        for (Map.Entry<TopicPartition, Long> e
            : CheckpointFile.offsets(logDir.resolve(CleanerOffsetCheckpoints.FILE_NAME)).read()) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    @Test
    void aRestartResumesCleaningWhereTheLastPassStopped() throws Exception {
        try (LogManager manager = open()) {
            PartitionLog log = manager.getOrCreate(TP, compacted);
            appendRolled(log, 60, 5);
            assertThat(manager.cleanLogsNow()).isEqualTo(1);
            assertThat(checkpoint()).containsEntry(TP, 60L);
            assertThat(manager.cleanLogsNow()).as("nothing dirty is left").isZero();
        }
        try (LogManager manager = open()) {
            PartitionLog log = manager.get(TP).orElseThrow();
            log.updateHighWatermark(log.logEndOffset());
            assertThat(manager.cleanLogsNow()).as("the clean part is not cleaned again after a restart").isZero();
            appendRolled(log, 10, 5);
            assertThat(manager.cleanLogsNow()).isEqualTo(1);
            assertThat(checkpoint()).containsEntry(TP, 70L);
        }
    }

    @Test
    void aTruncationBelowTheCheckpointLowersItSoNewRecordsAreCleaned() throws Exception {
        try (LogManager manager = open()) {
            PartitionLog log = manager.getOrCreate(TP, compacted);
            appendRolled(log, 60, 5);
            manager.cleanLogsNow();
            assertThat(checkpoint()).containsEntry(TP, 60L);
            log.truncateTo(40);
            assertThat(checkpoint()).containsEntry(TP, 40L);
            log.truncateFullyAndStartAt(100);
            // Only ever lowered: cleaning resumes at max(checkpoint, log start offset) = 100.
            assertThat(checkpoint()).containsEntry(TP, 40L);
            appendRolled(log, 20, 2);
            assertThat(manager.cleanLogsNow()).isEqualTo(1);
            assertThat(checkpoint()).containsEntry(TP, 120L);
        }
    }

    @Test
    void deletingALogForgetsItsCheckpoint() throws Exception {
        TopicPartition other = new TopicPartition("changelog", 1);
        try (LogManager manager = open()) {
            appendRolled(manager.getOrCreate(TP, compacted), 30, 3);
            appendRolled(manager.getOrCreate(other, compacted), 30, 3);
            manager.cleanLogsNow();
            assertThat(checkpoint()).containsOnlyKeys(TP, other);
            manager.delete(TP).get(10, TimeUnit.SECONDS);
            assertThat(checkpoint()).containsOnlyKeys(other);
        }
    }

    @Test
    void entriesOfLogsThatAreGoneAreDroppedAtStart() throws Exception {
        Files.write(logDir.resolve(CleanerOffsetCheckpoints.FILE_NAME), List.of("0", "1", "vanished 0 500"));
        try (LogManager manager = open()) {
            assertThat(checkpoint()).isEmpty();
        }
    }

    @Test
    void aCheckpointBeyondTheLogEndRestartsCleaningAtTheLogStart() throws Exception {
        try (LogManager manager = open()) {
            appendRolled(manager.getOrCreate(TP, compacted), 30, 3);
        }
        Files.write(logDir.resolve(CleanerOffsetCheckpoints.FILE_NAME), List.of("0", "1", "changelog 0 5000"));
        try (LogManager manager = open()) {
            manager.get(TP).orElseThrow().updateHighWatermark(30);
            assertThat(manager.cleanLogsNow()).isEqualTo(1);
            assertThat(checkpoint()).containsEntry(TP, 30L);
        }
    }

    @Test
    void anUnreadableCheckpointIsIgnoredAndRewritten() throws Exception {
        try (LogManager manager = open()) {
            appendRolled(manager.getOrCreate(TP, compacted), 30, 3);
        }
        Files.write(logDir.resolve(CleanerOffsetCheckpoints.FILE_NAME), List.of("0", "two", "garbage"));
        try (LogManager manager = open()) {
            manager.get(TP).orElseThrow().updateHighWatermark(30);
            assertThat(manager.cleanLogsNow()).isEqualTo(1);
            assertThat(checkpoint()).containsEntry(TP, 30L);
            assertThat(TestLogs.readAll(manager.get(TP).orElseThrow(), 0)).hasSize(3);
        }
    }
}
