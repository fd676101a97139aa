package io.millrace.engine.log;

import static io.millrace.engine.log.TestLogs.batch;
import static io.millrace.engine.log.TestLogs.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogAppendReadTest {
    @TempDir
    Path dir;
    ManualTime time = new ManualTime();
    QueuedScheduler scheduler = new QueuedScheduler();
    PartitionLog log;

    @BeforeEach
    void open() throws Exception {
        log = TestLogs.open(dir, LogConfig.defaults(), time, scheduler);
    }

    @AfterEach
    void close() {
        log.close();
    }

    @Test
    void appendAssignsConsecutiveOffsetsAndReportsThem() {
        LogAppendInfo first = log.appendAsLeader(batch("a", 3, time.milliseconds()), 0);
        LogAppendInfo second = log.appendAsLeader(batch("b", 2, time.milliseconds() + 5), 0);

        assertThat(first.firstOffset()).isEqualTo(0);
        assertThat(first.lastOffset()).isEqualTo(2);
        assertThat(first.numRecords()).isEqualTo(3);
        assertThat(first.logAppendTime()).isEqualTo(-1);
        assertThat(second.firstOffset()).isEqualTo(3);
        assertThat(second.lastOffset()).isEqualTo(4);
        assertThat(second.maxTimestamp()).isEqualTo(time.milliseconds() + 5);
        assertThat(log.logEndOffset()).isEqualTo(5);
        assertThat(readAll(log, 0)).containsExactly("0:a-0", "1:a-1", "2:a-2", "3:b-0", "4:b-1");
    }

    @Test
    void readReturnsAZeroCopyFileSliceOfWholeBatches() {
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(batch("v" + i, 2, time.milliseconds()), 0);
        }
        int batchSize = batch("v0", 2, 0).sizeInBytes();

        FetchDataInfo info = log.read(4, batchSize * 3 + batchSize / 2, Long.MAX_VALUE, false);

        assertThat(info.records()).isInstanceOf(FileRecords.class);
        assertThat(info.records().sizeInBytes()).isEqualTo(batchSize * 3);
        List<Long> bases = new java.util.ArrayList<>();
        info.records().batches().forEach(b -> bases.add(b.baseOffset()));
        assertThat(bases).containsExactly(4L, 6L, 8L);
    }

    @Test
    void readFromTheMiddleOfABatchStartsAtThatBatch() {
        log.appendAsLeader(batch("a", 5, time.milliseconds()), 0);
        FetchDataInfo info = log.read(3, 10_000, Long.MAX_VALUE, false);
        assertThat(info.records().batches().iterator().next().baseOffset()).isEqualTo(0);
    }

    @Test
    void readStopsAtTheGivenMaxOffset() {
        log.appendAsLeader(batch("a", 2, time.milliseconds()), 0);
        log.appendAsLeader(batch("b", 2, time.milliseconds()), 0);
        log.appendAsLeader(batch("c", 2, time.milliseconds()), 0);

        FetchDataInfo info = log.read(0, 100_000, 4, false);

        assertThat(TestLogs.records(info.records())).extracting(r -> r.offset()).containsExactly(0L, 1L, 2L, 3L);
        assertThat(log.read(4, 100_000, 4, false).records().sizeInBytes()).isZero();
    }

    @Test
    void aFirstBatchLargerThanTheLimitIsReturnedOnlyWithMinOneMessage() {
        log.appendAsLeader(batch("big", 50, time.milliseconds()), 0);

        FetchDataInfo without = log.read(0, 10, Long.MAX_VALUE, false);
        FetchDataInfo with = log.read(0, 10, Long.MAX_VALUE, true);

        assertThat(without.records().sizeInBytes()).isZero();
        assertThat(without.firstEntryIncomplete()).isTrue();
        assertThat(TestLogs.records(with.records())).hasSize(50);
    }

    @Test
    void readAtTheLogEndIsEmptyAndBeyondItIsOutOfRange() {
        log.appendAsLeader(batch("a", 2, time.milliseconds()), 0);

        assertThat(log.read(2, 1000, Long.MAX_VALUE, true).records().sizeInBytes()).isZero();
        assertThatThrownBy(() -> log.read(3, 1000, Long.MAX_VALUE, true)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThatThrownBy(() -> log.read(-1, 1000, Long.MAX_VALUE, true)).isInstanceOf(OffsetOutOfRangeException.class);
    }

    @Test
    void compressedBatchesKeepTheirCodecAndOffsets() {
        log.appendAsLeader(batch(Compression.zstd().build(), "z", 20, time.milliseconds()), 0);
        log.appendAsLeader(batch(Compression.gzip().build(), "g", 5, time.milliseconds()), 0);

        List<String> all = readAll(log, 0);
        assertThat(all).hasSize(25).startsWith("0:z-0").endsWith("24:g-4");
        RecordBatch first = log.read(0, 100_000, Long.MAX_VALUE, true).records().batches().iterator().next();
        assertThat(first.compressionType().name).isEqualTo("zstd");
        assertThat(first.lastOffset()).isEqualTo(19);
    }

    @Test
    void leaderAppendsStampTheLeaderEpochAndRecordItInTheEpochCache() {
        log.appendAsLeader(batch("a", 2, time.milliseconds()), 3);
        log.appendAsLeader(batch("b", 2, time.milliseconds()), 5);

        RecordBatch last = null;
        for (RecordBatch b : log.read(0, 100_000, Long.MAX_VALUE, true).records().batches()) {
            last = b;
        }
        assertThat(last.partitionLeaderEpoch()).isEqualTo(5);
        assertThat(log.leaderEpochs().entries()).containsExactly(
            new LeaderEpochCache.EpochEntry(3, 0), new LeaderEpochCache.EpochEntry(5, 2));
        assertThat(log.leaderEpochs().endOffsetFor(3)).isEqualTo(new LeaderEpochCache.EpochEntry(3, 2));
        assertThat(log.leaderEpochs().endOffsetFor(5)).isEqualTo(new LeaderEpochCache.EpochEntry(5, 4));
        assertThat(log.leaderEpochs().endOffsetFor(4)).isEqualTo(new LeaderEpochCache.EpochEntry(3, 2));
        assertThat(log.leaderEpochs().endOffsetFor(6).epoch()).isEqualTo(LeaderEpochCache.UNDEFINED_EPOCH);
    }

    @Test
    void logAppendTimeTopicsStampTheBrokerTime() throws Exception {
        log.updateConfig(LogConfig.fromMap(Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")));
        LogAppendInfo info = log.appendAsLeader(batch("a", 2, 5), 0);

        assertThat(info.logAppendTime()).isEqualTo(time.milliseconds());
        RecordBatch stored = log.read(0, 10_000, Long.MAX_VALUE, true).records().batches().iterator().next();
        assertThat(stored.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(stored.maxTimestamp()).isEqualTo(time.milliseconds());
        stored.ensureValid();
    }

    @Test
    void topicCompressionRecompressesTheProducersBatch() {
        log.updateConfig(LogConfig.fromMap(Map.of(TopicConfig.COMPRESSION_TYPE_CONFIG, "lz4")));
        log.appendAsLeader(batch("a", 10, time.milliseconds()), 0);

        RecordBatch stored = log.read(0, 10_000, Long.MAX_VALUE, true).records().batches().iterator().next();
        assertThat(stored.compressionType().name).isEqualTo("lz4");
        stored.ensureValid();
        assertThat(readAll(log, 0)).hasSize(10).endsWith("9:a-9");
    }

    @Test
    void followerAppendsKeepTheLeadersOffsetsAndEpochs() {
        log.appendAsFollower(TestLogs.replicated(0, 1, 3, time.milliseconds()));
        log.appendAsFollower(TestLogs.replicated(10, 2, 2, time.milliseconds()));

        assertThat(log.logEndOffset()).isEqualTo(12);
        assertThat(readAll(log, 0)).containsExactly("0:r0", "1:r1", "2:r2", "10:r10", "11:r11");
        assertThat(log.leaderEpochs().latestEpoch().getAsInt()).isEqualTo(2);
        assertThatThrownBy(() -> log.appendAsFollower(TestLogs.replicated(11, 2, 1, 0)))
            .isInstanceOf(org.apache.kafka.common.InvalidRecordException.class);
    }

    @Test
    void highWatermarkIsClampedToTheLog() {
        log.appendAsLeader(batch("a", 4, time.milliseconds()), 0);
        log.updateHighWatermark(100);
        assertThat(log.highWatermark()).isEqualTo(4);
        log.updateHighWatermark(2);
        assertThat(log.highWatermark()).isEqualTo(2);
    }

    @Test
    void deleteRecordsRaisesTheLogStartOffsetButNotBeyondTheHighWatermark() {
        log.appendAsLeader(batch("a", 10, time.milliseconds()), 0);
        log.updateHighWatermark(6);

        assertThat(log.deleteRecordsBefore(4)).isEqualTo(4);
        assertThat(log.logStartOffset()).isEqualTo(4);
        assertThatThrownBy(() -> log.read(3, 100, Long.MAX_VALUE, true)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThatThrownBy(() -> log.deleteRecordsBefore(7)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(log.deleteRecordsBefore(2)).isEqualTo(4);
    }

    @Test
    void truncateToDropsTheTailAndAppendsContinueFromThere() {
        log.appendAsLeader(batch("a", 3, time.milliseconds()), 1);
        log.appendAsLeader(batch("b", 3, time.milliseconds()), 2);
        log.updateHighWatermark(6);

        log.truncateTo(3);

        assertThat(log.logEndOffset()).isEqualTo(3);
        assertThat(log.highWatermark()).isEqualTo(3);
        assertThat(log.leaderEpochs().latestEpoch().getAsInt()).isEqualTo(1);
        log.appendAsLeader(batch("c", 1, time.milliseconds()), 3);
        assertThat(readAll(log, 0)).containsExactly("0:a-0", "1:a-1", "2:a-2", "3:c-0");
    }

    @Test
    void truncateFullyStartsAnEmptyLogAtTheNewOffset() {
        log.appendAsLeader(batch("a", 3, time.milliseconds()), 1);

        log.truncateFullyAndStartAt(100);

        assertThat(log.logStartOffset()).isEqualTo(100);
        assertThat(log.logEndOffset()).isEqualTo(100);
        assertThat(log.numberOfSegments()).isEqualTo(1);
        assertThat(log.appendAsLeader(batch("b", 1, time.milliseconds()), 2).firstOffset()).isEqualTo(100);
        assertThat(readAll(log, 100)).containsExactly("100:b-0");
    }
}
