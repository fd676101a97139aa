package io.millrace.engine.log;

import static io.millrace.engine.log.TestLogs.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.internal.FileRecords.TimestampAndOffset;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FetchOffsetByTimestampTest {
    @TempDir
    Path dir;
    ManualTime time = new ManualTime();

    /** Offsets 0..29, timestamps base+10*offset, except offset 17 which is the largest. */
    private PartitionLog logWithTimestamps(long base) throws Exception {
        PartitionLog log = TestLogs.open(dir, LogConfig.fromMap(Map.of(LogConfig.INTERNAL_SEGMENT_BYTES_CONFIG, 400,
            TopicConfig.INDEX_INTERVAL_BYTES_CONFIG, 50)), time, new QueuedScheduler());
        for (int i = 0; i < 30; i += 2) {
            long ts0 = base + 10L * i;
            long ts1 = i + 1 == 17 ? base + 10_000 : base + 10L * (i + 1);
            log.appendAsLeader(TestLogs.records(new SimpleRecord(ts0, bytes("k"), bytes("v" + i)),
                new SimpleRecord(ts1, bytes("k"), bytes("v" + (i + 1)))), i);
        }
        return log;
    }

    @Test
    void findsTheFirstRecordAtOrAfterEveryTimestamp() throws Exception {
        long base = time.milliseconds() - 100_000;
        try (PartitionLog log = logWithTimestamps(base)) {
            assertThat(log.numberOfSegments()).isGreaterThan(2);
            for (int i = 0; i < 30; i++) {
                if (i == 17) {
                    continue;
                }
                // offset 17 carries the largest timestamp, so it is the first at or after any later time
                long ts = base + 10L * i;
                assertThat(log.fetchOffsetByTimestamp(ts).orElseThrow().offset).as("ts of %d", i)
                    .isEqualTo(Math.min(i, 17));
                assertThat(log.fetchOffsetByTimestamp(ts + 1).orElseThrow().offset).as("after ts of %d", i)
                    .isEqualTo(Math.min(i + 1, 17));
            }
            assertThat(log.fetchOffsetByTimestamp(base - 5).orElseThrow().offset).isZero();
            assertThat(log.fetchOffsetByTimestamp(base + 10_001)).isEmpty();
        }
    }

    @Test
    void specialTimestampsGiveTheLogStartTheLogEndAndTheMaxTimestamp() throws Exception {
        long base = time.milliseconds() - 100_000;
        try (PartitionLog log = logWithTimestamps(base)) {
            log.updateHighWatermark(30);
            log.deleteRecordsBefore(4);
            assertThat(log.fetchOffsetByTimestamp(ListOffsetsRequest.EARLIEST_TIMESTAMP).orElseThrow().offset).isEqualTo(4);
            TimestampAndOffset latest = log.fetchOffsetByTimestamp(ListOffsetsRequest.LATEST_TIMESTAMP).orElseThrow();
            assertThat(latest.offset).isEqualTo(30);
            assertThat(latest.leaderEpoch).isEqualTo(Optional.of(28));
            TimestampAndOffset max = log.fetchOffsetByTimestamp(ListOffsetsRequest.MAX_TIMESTAMP).orElseThrow();
            assertThat(max.offset).isEqualTo(17);
            assertThat(max.timestamp).isEqualTo(base + 10_000);
        }
    }

    @Test
    void timestampLookupsSurviveARestart() throws Exception {
        long base = time.milliseconds() - 100_000;
        PartitionLog log = logWithTimestamps(base);
        log.close();
        try (PartitionLog reopened = TestLogs.reopen(dir, log.config(), time, new QueuedScheduler(), 30, true)) {
            assertThat(reopened.fetchOffsetByTimestamp(base + 105).orElseThrow().offset).isEqualTo(11);
            assertThat(reopened.fetchOffsetByTimestamp(base + 215).orElseThrow().offset).isEqualTo(17);
            assertThat(reopened.fetchOffsetByTimestamp(ListOffsetsRequest.MAX_TIMESTAMP).orElseThrow().offset)
                .isEqualTo(17);
        }
    }
}
