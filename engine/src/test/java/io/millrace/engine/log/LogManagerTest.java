package io.millrace.engine.log;

import static io.millrace.engine.log.TestLogs.batch;
import static io.millrace.engine.log.TestLogs.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogManagerTest {
    @TempDir
    Path dir1;
    @TempDir
    Path dir2;
    ManualTime time = new ManualTime();
    Map<String, Object> broker = Map.of("log.segment.bytes", 2 * 1024 * 1024,
        "log.retention.check.interval.ms", 3_600_000L, "log.cleaner.enable", false);
    /** Topic overrides that roll a segment every few batches (the test-only key). */
    Map<String, Object> smallSegments = Map.of(LogConfig.INTERNAL_SEGMENT_BYTES_CONFIG, 2048);

    @Test
    void createsLogsInTheLeastLoadedDirAndReopensThemAfterACleanShutdown() throws Exception {
        TopicPartition a = new TopicPartition("a-topic", 0);
        TopicPartition b = new TopicPartition("a-topic", 1);
        try (LogManager manager = LogManager.open(List.of(dir1, dir2), broker, time)) {
            PartitionLog la = manager.getOrCreate(a, LogConfig.fromBrokerAndTopic(broker, smallSegments));
            PartitionLog lb = manager.getOrCreate(b, LogConfig.fromBrokerAndTopic(broker, Map.of()));
            assertThat(la.dir().getParent()).isNotEqualTo(lb.dir().getParent());
            assertThat(lb.config().segmentBytes()).isEqualTo(2 * 1024 * 1024);
            assertThat(la.config().segmentBytes()).isEqualTo(2048);
            for (int i = 0; i < 20; i++) {
                la.appendAsLeader(batch("v" + i, 2, time.milliseconds()), 0);
            }
            assertThat(manager.getOrCreate(a, LogConfig.defaults())).isSameAs(la);
        }
        assertThat(Files.exists(dir1.resolve(LogManager.CLEAN_SHUTDOWN_FILE))).isTrue();
        assertThat(Files.readAllLines(dir1.resolve(LogManager.RECOVERY_POINT_CHECKPOINT)).get(0)).isEqualTo("0");
        try (LogManager manager = LogManager.open(List.of(dir1, dir2), broker, time)) {
            assertThat(manager.logs()).hasSize(2);
            PartitionLog la = manager.get(a).orElseThrow();
            assertThat(la.logEndOffset()).isEqualTo(40);
            assertThat(la.recoveryPoint()).isEqualTo(40);
            assertThat(readAll(la, 0)).hasSize(40);
            assertThat(Files.exists(dir1.resolve(LogManager.CLEAN_SHUTDOWN_FILE))).isFalse();
        }
    }

    @Test
    void deleteRenamesTheDirectoryAndRemovesItInTheBackground() throws Exception {
        TopicPartition tp = new TopicPartition("gone", 3);
        try (LogManager manager = LogManager.open(List.of(dir1), broker, time)) {
            PartitionLog log = manager.getOrCreate(tp, LogConfig.defaults());
            log.appendAsLeader(batch("x", 1, time.milliseconds()), 0);
            manager.delete(tp).get(10, TimeUnit.SECONDS);
            assertThat(manager.get(tp)).isEmpty();
            assertThat(TestLogs.fileNames(dir1)).noneMatch(n -> n.startsWith("gone-3"));
        }
    }

    @Test
    void retentionRunsAcrossLogs() throws Exception {
        Map<String, Object> props = Map.of("log.retention.ms", 1000L,
            "log.retention.check.interval.ms", 3_600_000L, "log.cleaner.enable", false);
        TopicPartition tp = new TopicPartition("t", 0);
        try (LogManager manager = LogManager.open(List.of(dir1), props, time)) {
            PartitionLog log = manager.getOrCreate(tp, LogConfig.fromBrokerAndTopic(props,
                Map.of(TopicConfig.FILE_DELETE_DELAY_MS_CONFIG, 0L, LogConfig.INTERNAL_SEGMENT_BYTES_CONFIG, 200)));
            for (int i = 0; i < 5; i++) {
                log.appendAsLeader(batch("v", 1, time.milliseconds()), 0);
            }
            log.updateHighWatermark(log.logEndOffset());
            time.advance(2000);
            assertThat(manager.deleteOldSegments()).isPositive();
            assertThat(log.logStartOffset()).isEqualTo(5);
        }
    }

    @Test
    void anUncleanStopIsRecoveredFromTheCheckpointedRecoveryPoint() throws Exception {
        TopicPartition tp = new TopicPartition("crash", 0);
        LogManager manager = LogManager.open(List.of(dir1), broker, time);
        try {
            PartitionLog log = manager.getOrCreate(tp, LogConfig.fromBrokerAndTopic(broker, smallSegments));
            for (int i = 0; i < 30; i++) {
                log.appendAsLeader(batch("v" + i, 2, time.milliseconds()), 0);
            }
            log.flush();
            manager.checkpoint();
            for (int i = 30; i < 35; i++) {
                log.appendAsLeader(batch("v" + i, 2, time.milliseconds()), 0);
            }
        } finally {
            manager.halt(); // as kill -9: no clean-shutdown marker, the last appends not checkpointed
        }
        assertThat(Files.exists(dir1.resolve(LogManager.CLEAN_SHUTDOWN_FILE))).isFalse();
        assertLogThreadsEnd();
        try (LogManager reopened = LogManager.open(List.of(dir1), broker, time)) {
            PartitionLog again = reopened.get(tp).orElseThrow();
            assertThat(again.logEndOffset()).isEqualTo(70);
            assertThat(readAll(again, 0)).hasSize(70);
        }
    }

    @Test
    void closeStopsEveryThreadTheManagerStarted() throws Exception {
        Map<String, Object> withCleaner = Map.of("log.cleaner.enable", true, "log.cleaner.threads", 2);
        try (LogManager manager = LogManager.open(List.of(dir1), withCleaner, time)) {
            manager.getOrCreate(new TopicPartition("t", 0), LogConfig.defaults())
                .appendAsLeader(batch("v", 1, time.milliseconds()), 0);
            assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().startsWith("millrace-log-"));
        }
        assertLogThreadsEnd();
    }

    /** Every thread the log manager started ends (a stopped pool's threads finish exiting within the deadline). */
    private static void assertLogThreadsEnd() throws InterruptedException {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("millrace-log-")) {
                t.join(10_000);
                assertThat(t.isAlive()).as("%s still running", t.getName()).isFalse();
            }
        }
    }
}
