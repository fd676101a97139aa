package io.millrace.engine.log;

import static io.millrace.engine.log.TestLogs.batch;
import static io.millrace.engine.log.TestLogs.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {
    @TempDir
    Path dir;
    ManualTime time = new ManualTime();
    QueuedScheduler scheduler = new QueuedScheduler();
    int batchSize = batch("v", 1, 0).sizeInBytes();

    private PartitionLog logWith(Map<String, Object> overrides) throws Exception {
        Map<String, Object> props = new java.util.HashMap<>(overrides);
        props.put(LogConfig.INTERNAL_SEGMENT_BYTES_CONFIG, batchSize * 2);
        return TestLogs.open(dir, LogConfig.fromMap(props), time, scheduler);
    }

    @Test
    void timeRetentionDeletesSegmentsWhoseLargestTimestampIsTooOld() throws Exception {
        try (PartitionLog log = logWith(Map.of(TopicConfig.RETENTION_MS_CONFIG, 10_000L))) {
            long t0 = time.milliseconds();
            for (int i = 0; i < 6; i++) {
                log.appendAsLeader(batch("v", 1, t0 + i * 1000L), 0);
            }
            log.updateHighWatermark(log.logEndOffset());
            time.advance(12_500);

            assertThat(log.deleteOldSegments()).isEqualTo(1);
            assertThat(log.logStartOffset()).isEqualTo(2);
            assertThat(TestLogs.fileNames(log.dir())).contains("00000000000000000000.log.deleted");
            scheduler.runAll();
            assertThat(TestLogs.fileNames(log.dir())).noneMatch(n -> n.endsWith(".deleted"));
            assertThat(readAll(log, 2)).hasSize(4);
        }
    }

    @Test
    void sizeRetentionKeepsTheNewestSegmentsWithinRetentionBytes() throws Exception {
        try (PartitionLog log = logWith(Map.of(TopicConfig.RETENTION_BYTES_CONFIG, (long) batchSize * 3))) {
            for (int i = 0; i < 9; i++) {
                log.appendAsLeader(batch("v", 1, time.milliseconds()), 0);
            }
            log.updateHighWatermark(log.logEndOffset());
            assertThat(log.numberOfSegments()).isEqualTo(5);

            assertThat(log.deleteOldSegments()).isEqualTo(3);
            assertThat(log.sizeInBytes()).isLessThanOrEqualTo(batchSize * 3L);
            assertThat(log.logStartOffset()).isEqualTo(6);
        }
    }

    @Test
    void neverDeletesAboveTheHighWatermark() throws Exception {
        try (PartitionLog log = logWith(Map.of(TopicConfig.RETENTION_MS_CONFIG, 1L))) {
            for (int i = 0; i < 6; i++) {
                log.appendAsLeader(batch("v", 1, time.milliseconds()), 0);
            }
            log.updateHighWatermark(3);
            time.advance(10);
            assertThat(log.deleteOldSegments()).isEqualTo(1);
            assertThat(log.logStartOffset()).isEqualTo(2);
        }
    }

    @Test
    void whenEverySegmentExpiresTheLogRollsAndKeepsAnEmptyActiveSegment() throws Exception {
        try (PartitionLog log = logWith(Map.of(TopicConfig.RETENTION_MS_CONFIG, 1L))) {
            for (int i = 0; i < 3; i++) {
                log.appendAsLeader(batch("v", 1, time.milliseconds()), 0);
            }
            log.updateHighWatermark(log.logEndOffset());
            time.advance(10);

            log.deleteOldSegments();

            assertThat(log.numberOfSegments()).isEqualTo(1);
            assertThat(log.logStartOffset()).isEqualTo(3);
            assertThat(log.logEndOffset()).isEqualTo(3);
            assertThat(log.appendAsLeader(batch("w", 1, time.milliseconds()), 0).firstOffset()).isEqualTo(3);
        }
    }

    @Test
    void compactOnlyTopicsAreNotDeletedByTime() throws Exception {
        try (PartitionLog log = logWith(Map.of(TopicConfig.RETENTION_MS_CONFIG, 1L,
                TopicConfig.CLEANUP_POLICY_CONFIG, "compact"))) {
            for (int i = 0; i < 6; i++) {
                log.appendAsLeader(batch("v", 1, time.milliseconds()), 0);
            }
            log.updateHighWatermark(log.logEndOffset());
            time.advance(10);
            assertThat(log.deleteOldSegments()).isZero();
        }
    }

    @Test
    void segmentsBelowADeleteRecordsOffsetGo() throws Exception {
        try (PartitionLog log = logWith(Map.of())) {
            for (int i = 0; i < 6; i++) {
                log.appendAsLeader(batch("v", 1, time.milliseconds()), 0);
            }
            log.updateHighWatermark(6);
            log.deleteRecordsBefore(5);
            assertThat(log.deleteOldSegments()).isEqualTo(2);
            assertThat(log.logStartOffset()).isEqualTo(5);
            assertThat(readAll(log, 5)).containsExactly("5:v-0");
        }
    }

    @Test
    void retentionChangesTakeEffectAtOnce() throws Exception {
        try (PartitionLog log = logWith(Map.of())) {
            for (int i = 0; i < 6; i++) {
                log.appendAsLeader(batch("v", 1, time.milliseconds()), 0);
            }
            log.updateHighWatermark(6);
            assertThat(log.deleteOldSegments()).isZero();
            log.updateConfig(log.config().with(Map.of(TopicConfig.RETENTION_BYTES_CONFIG, 0L)));
            assertThat(log.deleteOldSegments()).isEqualTo(3);
        }
    }
}
