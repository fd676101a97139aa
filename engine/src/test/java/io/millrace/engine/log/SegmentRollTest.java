package io.millrace.engine.log;

import static io.millrace.engine.log.TestLogs.batch;
import static io.millrace.engine.log.TestLogs.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentRollTest {
    @TempDir
    Path dir;
    ManualTime time = new ManualTime();
    QueuedScheduler scheduler = new QueuedScheduler();

    @Test
    void rollsOnSegmentBytesAndReadsAcrossSegments() throws Exception {
        int batchSize = batch("v00", 4, 0).sizeInBytes();
        LogConfig config = LogConfig.fromMap(Map.of(LogConfig.INTERNAL_SEGMENT_BYTES_CONFIG, batchSize * 3));
        try (PartitionLog log = TestLogs.open(dir, config, time, scheduler)) {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String prefix = String.format("v%02d", i);
                log.appendAsLeader(batch(prefix, 4, time.milliseconds()), 0);
                for (int j = 0; j < 4; j++) {
                    expected.add((i * 4 + j) + ":" + prefix + "-" + j);
                }
            }
            assertThat(log.numberOfSegments()).isEqualTo(4);
            assertThat(TestLogs.fileNames(log.dir())).contains(
                "00000000000000000000.log", "00000000000000000000.index", "00000000000000000000.timeindex",
                "00000000000000000012.log", "00000000000000000024.log", "00000000000000000036.log",
                "00000000000000000012.snapshot");
            assertThat(readAll(log, 0)).isEqualTo(expected);
            for (long offset = 0; offset < 40; offset++) {
                assertThat(readAll(log, offset).get(0)).isEqualTo(expected.get((int) offset));
            }
        }
    }

    @Test
    void rolledSegmentsHaveTrimmedIndexesAndTheActiveOneIsPreallocated() throws Exception {
        LogConfig config = LogConfig.fromMap(Map.of(LogConfig.INTERNAL_SEGMENT_BYTES_CONFIG, 2000,
            TopicConfig.SEGMENT_INDEX_BYTES_CONFIG, 4096, TopicConfig.INDEX_INTERVAL_BYTES_CONFIG, 100));
        try (PartitionLog log = TestLogs.open(dir, config, time, scheduler)) {
            for (int i = 0; i < 30; i++) {
                log.appendAsLeader(batch("x", 2, time.milliseconds() + i), 0);
            }
            assertThat(log.numberOfSegments()).isGreaterThan(1);
            Path first = log.dir().resolve("00000000000000000000.index");
            Path firstTime = log.dir().resolve("00000000000000000000.timeindex");
            assertThat(Files.size(first)).isPositive().isLessThan(4096).isEqualTo(Files.size(first) / 8 * 8);
            assertThat(Files.size(firstTime) % 12).isZero();
            long activeBase = log.segmentMap().lastKey();
            assertThat(Files.size(log.dir().resolve(LogSegment.filenamePrefix(activeBase) + ".index"))).isEqualTo(4096);
        }
    }

    @Test
    void rollsWhenTheSegmentIsOlderThanSegmentMsByRecordTime() throws Exception {
        LogConfig config = LogConfig.fromMap(Map.of(TopicConfig.SEGMENT_MS_CONFIG, 1000L));
        try (PartitionLog log = TestLogs.open(dir, config, time, scheduler)) {
            long t0 = time.milliseconds();
            log.appendAsLeader(batch("a", 1, t0), 0);
            log.appendAsLeader(batch("b", 1, t0 + 1000), 0);
            assertThat(log.numberOfSegments()).isEqualTo(1);
            log.appendAsLeader(batch("c", 1, t0 + 1001), 0);
            assertThat(log.numberOfSegments()).isEqualTo(2);
            assertThat(readAll(log, 0)).containsExactly("0:a-0", "1:b-0", "2:c-0");
        }
    }

    @Test
    void rollsWhenTheOffsetIndexIsFull() throws Exception {
        LogConfig config = LogConfig.fromMap(Map.of(TopicConfig.SEGMENT_INDEX_BYTES_CONFIG, 8 * 3,
            TopicConfig.INDEX_INTERVAL_BYTES_CONFIG, 0));
        try (PartitionLog log = TestLogs.open(dir, config, time, scheduler)) {
            for (int i = 0; i < 10; i++) {
                log.appendAsLeader(batch("a", 1, time.milliseconds()), 0);
            }
            assertThat(log.numberOfSegments()).isGreaterThanOrEqualTo(3);
            assertThat(readAll(log, 0)).hasSize(10);
        }
    }

    @Test
    void aRolledSegmentIsFlushedInTheBackgroundAndTheRecoveryPointFollows() throws Exception {
        int batchSize = batch("v", 1, 0).sizeInBytes();
        LogConfig config = LogConfig.fromMap(Map.of(LogConfig.INTERNAL_SEGMENT_BYTES_CONFIG, batchSize * 2));
        try (PartitionLog log = TestLogs.open(dir, config, time, scheduler)) {
            for (int i = 0; i < 3; i++) {
                log.appendAsLeader(batch("v", 1, time.milliseconds()), 0);
            }
            assertThat(log.recoveryPoint()).isZero();
            assertThat(scheduler.names()).anyMatch(n -> n.startsWith("flush-"));
            scheduler.runAll();
            assertThat(log.recoveryPoint()).isEqualTo(2);
        }
    }

    @Test
    void manualRollStartsAnEmptySegmentAtTheLogEnd() throws Exception {
        try (PartitionLog log = TestLogs.open(dir, LogConfig.defaults(), time, scheduler)) {
            log.appendAsLeader(batch("a", 3, time.milliseconds()), 0);
            log.roll();
            log.roll();
            assertThat(log.numberOfSegments()).isEqualTo(2);
            assertThat(log.segmentMap().lastKey()).isEqualTo(3);
        }
    }
}
