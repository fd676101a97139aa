package io.millrace.engine.log;

import static io.millrace.engine.log.TestLogs.batch;
import static io.millrace.engine.log.TestLogs.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogRecoveryTest {
    @TempDir
    Path dir;
    ManualTime time = new ManualTime();
    QueuedScheduler scheduler = new QueuedScheduler();
    LogConfig config = LogConfig.fromMap(Map.of(LogConfig.INTERNAL_SEGMENT_BYTES_CONFIG, 1500,
        TopicConfig.INDEX_INTERVAL_BYTES_CONFIG, 100));

    /** Writes 12 batches of 3 records over several segments and leaves the log unclosed (a crash). */
    private List<String> writeAndCrash() throws Exception {
        PartitionLog log = TestLogs.open(dir, config, time, scheduler);
        for (int i = 0; i < 12; i++) {
            Compression c = i % 3 == 0 ? Compression.gzip().build() : Compression.NONE;
            log.appendAsLeader(batch(c, "b" + i, 3, time.milliseconds() + i), 0);
        }
        List<String> all = readAll(log, 0);
        log.closeForDeletion();
        return all;
    }

    private Path activeLogFile() throws Exception {
        Path partition = dir.resolve(PartitionLog.dirName(TestLogs.TP));
        return TestLogs.fileNames(partition).stream().filter(n -> n.endsWith(".log")).reduce((a, b) -> b)
            .map(partition::resolve).orElseThrow();
    }

    @Test
    void aLogCutAtEveryByteOfItsLastBatchRecoversTheValidPrefix() throws Exception {
        List<String> all = writeAndCrash();
        Path active = activeLogFile();
        byte[] original = Files.readAllBytes(active);
        int lastBatchSize = batch("b11", 3, 0).sizeInBytes();
        int lastBatchStart = original.length - lastBatchSize;
        for (int cut = lastBatchStart; cut < original.length; cut++) {
            Files.write(active, java.util.Arrays.copyOf(original, cut));
            try (PartitionLog log = TestLogs.reopen(dir, config, time, scheduler, 0, false)) {
                assertThat(log.logEndOffset()).as("cut at %d", cut).isEqualTo(33);
                assertThat(readAll(log, 0)).isEqualTo(all.subList(0, 33));
                log.appendAsLeader(batch("after", 1, time.milliseconds()), 0);
                assertThat(readAll(log, 33)).containsExactly("33:after-0");
            }
            Path partition = dir.resolve(PartitionLog.dirName(TestLogs.TP));
            // undo the test append: put the original bytes back for the next cut
            for (String name : TestLogs.fileNames(partition)) {
                if (name.endsWith(".snapshot")) {
                    Files.delete(partition.resolve(name));
                }
            }
            try (FileChannel ch = FileChannel.open(active, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
        }
    }

    @Test
    void aFlippedByteInTheLastSegmentTruncatesAtTheCorruptBatch() throws Exception {
        List<String> all = writeAndCrash();
        Path active = activeLogFile();
        long base = Long.parseLong(active.getFileName().toString().substring(0, 20));
        long size = Files.size(active);
        try (RandomAccessFile f = new RandomAccessFile(active.toFile(), "rw")) {
            long at = size / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x5a);
        }
        try (PartitionLog log = TestLogs.reopen(dir, config, time, scheduler, 0, false)) {
            List<String> recovered = readAll(log, 0);
            assertThat(log.logEndOffset()).isGreaterThanOrEqualTo(base).isLessThan(36);
            assertThat(recovered).isEqualTo(all.subList(0, (int) log.logEndOffset()));
        }
    }

    @Test
    void missingAndCorruptIndexesAreRebuilt() throws Exception {
        List<String> all = writeAndCrash();
        Path partition = dir.resolve(PartitionLog.dirName(TestLogs.TP));
        Files.delete(partition.resolve("00000000000000000000.index"));
        Files.write(partition.resolve("00000000000000000000.timeindex"), new byte[] {1, 2, 3, 4, 5});
        try (PartitionLog log = TestLogs.reopen(dir, config, time, scheduler, Long.MAX_VALUE, true)) {
            assertThat(readAll(log, 0)).isEqualTo(all);
            for (long offset = 0; offset < 36; offset++) {
                assertThat(readAll(log, offset).get(0)).isEqualTo(all.get((int) offset));
            }
            assertThat(Files.size(partition.resolve("00000000000000000000.index"))).isPositive();
        }
    }

    @Test
    void aCleanShutdownReopensWithoutScanning() throws Exception {
        PartitionLog log = TestLogs.open(dir, config, time, scheduler);
        for (int i = 0; i < 12; i++) {
            log.appendAsLeader(batch("b" + i, 3, time.milliseconds() + i), 0);
        }
        List<String> all = readAll(log, 0);
        log.close();
        try (PartitionLog reopened = TestLogs.reopen(dir, config, time, scheduler, 36, true)) {
            assertThat(reopened.logEndOffset()).isEqualTo(36);
            assertThat(reopened.recoveryPoint()).isEqualTo(36);
            assertThat(readAll(reopened, 0)).isEqualTo(all);
            reopened.appendAsLeader(batch("c", 1, time.milliseconds()), 0);
            assertThat(reopened.logEndOffset()).isEqualTo(37);
        }
    }

    @Test
    void garbageAfterTheLastBatchIsTruncated() throws Exception {
        List<String> all = writeAndCrash();
        Path active = activeLogFile();
        Files.write(active, new byte[] {0, 0, 0, 0, 0, 0, 0, 99, 0, 0, 0, 10, 1, 2, 3}, StandardOpenOption.APPEND);
        try (PartitionLog log = TestLogs.reopen(dir, config, time, scheduler, 0, false)) {
            assertThat(readAll(log, 0)).isEqualTo(all);
            assertThat(log.logEndOffset()).isEqualTo(36);
        }
    }
}
