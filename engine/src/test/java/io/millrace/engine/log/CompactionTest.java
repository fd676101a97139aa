package io.millrace.engine.log;

import static io.millrace.engine.log.TestLogs.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactionTest {
    @TempDir
    Path dir;
    ManualTime time = new ManualTime();
    QueuedScheduler scheduler = new QueuedScheduler();

    private final LogConfig config = LogConfig.fromMap(Map.of(
        TopicConfig.CLEANUP_POLICY_CONFIG, "compact",
        LogConfig.INTERNAL_SEGMENT_BYTES_CONFIG, 4096,
        TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, 0.01,
        TopicConfig.DELETE_RETENTION_MS_CONFIG, 60_000L,
        TopicConfig.FILE_DELETE_DELAY_MS_CONFIG, 0L));

    private LogCleaner cleaner(PartitionLog log) {
        LogManagerConfig managerConfig = LogManagerConfig.fromMap(Map.of());
        return new LogCleaner(managerConfig, time, () -> List.of(log), new CleanerOffsetCheckpoints());
    }

    /** Every record readable, as offset -> (key, value or "null"). */
    private static Map<Long, String[]> contents(PartitionLog log) {
        Map<Long, String[]> out = new LinkedHashMap<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            FetchDataInfo info = log.read(next, 1 << 20, Long.MAX_VALUE, true);
            if (info.records().sizeInBytes() == 0) {
                break;
            }
            for (RecordBatch batch : info.records().batches()) {
                for (Record r : batch) {
                    if (r.offset() >= next) {
                        out.put(r.offset(), new String[] {TestLogs.key(r), TestLogs.value(r)});
                    }
                }
                next = batch.nextOffset();
            }
        }
        return out;
    }

    @Test
    void randomRoundsKeepEveryKeysLatestValueAndDropTombstonesAfterTheirRetention() throws Exception {
        long seed = System.nanoTime();
        System.out.println("CompactionTest seed: " + seed);
        Random random = new Random(seed);
        try (PartitionLog log = TestLogs.open(dir, config, time, scheduler)) {
            LogCleaner cleaner = cleaner(log);
            Map<String, String> latest = new HashMap<>();
            Map<String, Long> latestOffset = new HashMap<>();
            for (int round = 0; round < 6; round++) {
                for (int i = 0; i < 120; i++) {
                    String key = "key" + random.nextInt(25);
                    boolean tombstone = random.nextInt(6) == 0;
                    String value = tombstone ? null : "v" + round + "-" + i;
                    LogAppendInfo info = log.appendAsLeader(TestLogs.records(
                        new SimpleRecord(time.milliseconds(), bytes(key), value == null ? null : bytes(value))), 0);
                    latest.put(key, value == null ? "null" : value);
                    latestOffset.put(key, info.firstOffset());
                }
                log.roll();
                log.updateHighWatermark(log.logEndOffset());
                long endBefore = log.logEndOffset();
                cleaner.cleanAllOnce();
                scheduler.runAll();

                Map<Long, String[]> after = contents(log);
                assertThat(log.logEndOffset()).as("seed %d", seed).isEqualTo(endBefore);
                long previous = -1;
                for (long offset : after.keySet()) {
                    assertThat(offset).as("offsets only grow (seed %d)", seed).isGreaterThan(previous);
                    previous = offset;
                }
                Map<String, String> seen = new HashMap<>();
                Map<String, Long> seenOffset = new HashMap<>();
                after.forEach((offset, kv) -> {
                    seen.put(kv[0], kv[1]);
                    seenOffset.put(kv[0], offset);
                });
                for (Map.Entry<String, String> e : latest.entrySet()) {
                    if (!e.getValue().equals("null")) {
                        assertThat(seen.get(e.getKey())).as("latest of %s (seed %d)", e.getKey(), seed)
                            .isEqualTo(e.getValue());
                        assertThat(seenOffset.get(e.getKey())).isEqualTo(latestOffset.get(e.getKey()));
                    } else if (seen.containsKey(e.getKey())) {
                        assertThat(seen.get(e.getKey())).as("tombstone of %s (seed %d)", e.getKey(), seed)
                            .isEqualTo("null");
                    }
                }
                assertThat(after.size()).as("seed %d", seed).isLessThanOrEqualTo(latest.size());
                time.advance(1000);
            }
            // Past delete.retention.ms, a pass removes the tombstones the cleaner has seen.
            time.advance(61_000);
            log.appendAsLeader(TestLogs.records(new SimpleRecord(time.milliseconds(), bytes("fresh"), bytes("x"))), 0);
            log.roll();
            log.updateHighWatermark(log.logEndOffset());
            cleaner.cleanAllOnce();
            scheduler.runAll();
            Map<Long, String[]> finalContents = contents(log);
            assertThat(finalContents.values()).as("seed %d", seed).noneMatch(kv -> kv[1].equals("null"));
            long live = latest.values().stream().filter(v -> !v.equals("null")).count();
            assertThat(finalContents).hasSize((int) live + 1);
        }
    }

    @Test
    void smallSegmentsAreMergedAndTheFilesAreKafkaShaped() throws Exception {
        try (PartitionLog log = TestLogs.open(dir, config, time, scheduler)) {
            log.updateConfig(config.with(Map.of(LogConfig.INTERNAL_SEGMENT_BYTES_CONFIG, 600)));
            for (int i = 0; i < 200; i++) {
                log.appendAsLeader(TestLogs.records(
                    new SimpleRecord(time.milliseconds(), bytes("k" + (i % 5)), bytes("value-" + i))), 0);
            }
            log.roll();
            log.updateHighWatermark(log.logEndOffset());
            int before = log.numberOfSegments();
            log.updateConfig(config);
            cleaner(log).cleanAllOnce();
            scheduler.runAll();
            assertThat(log.numberOfSegments()).isLessThan(before);
            assertThat(contents(log)).hasSize(5);
            assertThat(TestLogs.fileNames(log.dir())).noneMatch(n -> n.endsWith(".cleaned") || n.endsWith(".swap")
                || n.endsWith(".deleted"));
        }
    }

    @Test
    void minCompactionLagKeepsRecentSegmentsUncleaned() throws Exception {
        LogConfig lagged = config.with(Map.of(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, 10_000L));
        try (PartitionLog log = TestLogs.open(dir, lagged, time, scheduler)) {
            for (int i = 0; i < 50; i++) {
                log.appendAsLeader(TestLogs.records(
                    new SimpleRecord(time.milliseconds(), bytes("same"), bytes("v" + i))), 0);
            }
            log.roll();
            log.updateHighWatermark(log.logEndOffset());
            assertThat(cleaner(log).cleanAllOnce()).isZero();
            time.advance(10_001);
            assertThat(cleaner(log).cleanAllOnce()).isEqualTo(1);
            scheduler.runAll();
            assertThat(contents(log)).hasSize(1);
        }
    }

    @Test
    void aPassThatRacedATruncationSwapsNothingIn() throws Exception {
        try (PartitionLog log = TestLogs.open(dir, config, time, scheduler)) {
            for (int i = 0; i < 100; i++) {
                log.appendAsLeader(TestLogs.records(
                    new SimpleRecord(time.milliseconds(), bytes("k" + (i % 7)), bytes("v" + i))), 0);
            }
            log.roll();
            log.appendAsLeader(TestLogs.records(new SimpleRecord(time.milliseconds(), bytes("k"), bytes("x"))), 0);
            log.updateHighWatermark(log.logEndOffset());
            long truncationsBefore = log.truncationCount();
            List<LogSegment> inactive = log.inactiveSegmentsBelow(log.highWatermark());
            Map<Long, String[]> before = contents(log);
            // The truncation lands while the pass is copying (here: after it chose its segments).
            log.truncateTo(log.logEndOffset() - 1);
            Cleaner cleaner = new Cleaner(1 << 20, time, tp -> false);
            Cleaner.Result result = cleaner.clean(log, inactive, inactive, 0, time.milliseconds(), truncationsBefore);
            assertThat(result.completed()).isFalse();
            scheduler.runAll();
            Map<Long, String[]> after = contents(log);
            assertThat(after.keySet()).isEqualTo(before.keySet().stream().filter(o -> o < 100).collect(
                java.util.stream.Collectors.toSet()));
            assertThat(TestLogs.fileNames(log.dir())).noneMatch(n -> n.endsWith(".cleaned") || n.endsWith(".swap"));
        }
    }

    @Test
    void aCrashMidCleanLeavesAReadableLog() throws Exception {
        PartitionLog log = TestLogs.open(dir, config, time, scheduler);
        for (int i = 0; i < 100; i++) {
            log.appendAsLeader(TestLogs.records(
                new SimpleRecord(time.milliseconds(), bytes("k" + (i % 7)), bytes("v" + i))), 0);
        }
        log.roll();
        Map<Long, String[]> original = contents(log);
        log.close();
        Path partition = log.dir();
        // A crash while writing: a half-written .cleaned segment is discarded.
        Files.write(partition.resolve("00000000000000000000.log.cleaned"), new byte[] {1, 2, 3});
        // A crash after the .swap rename of a finished output: the swap is completed on open.
        try (PartitionLog reopened = TestLogs.reopen(dir, config, time, scheduler, Long.MAX_VALUE, true)) {
            assertThat(TestLogs.fileNames(partition)).noneMatch(n -> n.endsWith(".cleaned"));
            Map<Long, String[]> after = contents(reopened);
            assertThat(after.keySet()).isEqualTo(original.keySet());
        }
        try (PartitionLog again = TestLogs.reopen(dir, config, time, scheduler, Long.MAX_VALUE, true)) {
            again.updateHighWatermark(again.logEndOffset());
            cleaner(again).cleanAllOnce();
            Path swapSource = again.dir();
            scheduler.runAll();
            Map<Long, String[]> compacted = contents(again);
            assertThat(compacted).hasSize(7);
            // Simulate a crash between the .swap rename and the swap: rename a live segment back to .swap.
            long base = again.segmentMap().firstKey();
            again.close();
            for (String suffix : List.of(".log", ".index", ".timeindex")) {
                Path live = swapSource.resolve(LogSegment.filenamePrefix(base) + suffix);
                Files.move(live, swapSource.resolve(live.getFileName() + ".swap"));
            }
        }
        try (PartitionLog recovered = TestLogs.reopen(dir, config, time, scheduler, Long.MAX_VALUE, true)) {
            assertThat(contents(recovered)).hasSize(7);
            assertThat(TestLogs.fileNames(recovered.dir())).noneMatch(n -> n.endsWith(".swap"));
        }
    }
}
