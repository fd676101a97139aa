package io.millrace.engine.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.utils.Time;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Append and sequential-read throughput of a partition log beside a plain {@link FileChannel}
 * writing and reading the same bytes, in the same run. One operation is one 16 KiB record batch
 * (appends) or one 1 MiB read, so bytes/s = ops/s × the size printed at setup.
 *
 * <p>Both sides start over (truncate) every 256 MiB so the run stays within the page cache and
 * the disk; neither fsyncs (Kafka's default: durability comes from replication).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 4)
public class LogAppendBenchmark {
    static final int BATCH_BYTES = 16 * 1024;
    static final long RESTART_BYTES = 256L * 1024 * 1024;
    static final int READ_BYTES = 1024 * 1024;

    @Param({"100", "1024"})
    int recordBytes;

    Path dir;
    PartitionLog log;
    FileChannel baseline;
    ByteBuffer batchBytes;
    ByteBuffer scratch;
    ByteBuffer readBuffer;
    long baselineReadPosition;
    long logReadOffset;
    FileChannel readBaseline;
    PartitionLog readLog;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("millrace-bench");
        // Background work (deleting the segments a restart dropped) runs inline: its cost counts
        // against the log as the baseline's truncate counts against the FileChannel.
        LogScheduler scheduler = (name, task, delayMs) -> task.run();
        LogConfig config = LogConfig.fromMap(Map.of("message.timestamp.after.max.ms", Long.MAX_VALUE,
            "message.timestamp.before.max.ms", Long.MAX_VALUE));
        log = PartitionLog.open(new TopicPartition("bench", 0), dir.resolve("bench-0"), config, Time.SYSTEM, scheduler,
            0, 0, false, 86_400_000L);
        baseline = FileChannel.open(dir.resolve("baseline.bin"), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.READ);
        batchBytes = buildBatch(recordBytes);
        scratch = ByteBuffer.allocate(batchBytes.remaining());
        readBuffer = ByteBuffer.allocateDirect(READ_BYTES);
        System.out.printf("%nbatch of %d records of %d bytes: %d bytes%n", countFor(recordBytes), recordBytes,
            batchBytes.remaining());
        prepareReads(scheduler, config);
    }

    private void prepareReads(LogScheduler scheduler, LogConfig config) throws IOException {
        readLog = PartitionLog.open(new TopicPartition("read", 0), dir.resolve("read-0"), config, Time.SYSTEM,
            scheduler, 0, 0, false, 86_400_000L);
        readBaseline = FileChannel.open(dir.resolve("read-baseline.bin"), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE, StandardOpenOption.READ);
        while (readLog.sizeInBytes() < RESTART_BYTES) {
            readLog.appendAsLeader(freshBatch(), 0);
            readBaseline.write(batchBytes.duplicate());
        }
        readLog.updateHighWatermark(readLog.logEndOffset());
    }

    static int countFor(int recordBytes) {
        return Math.max(1, (BATCH_BYTES - 61) / (recordBytes + 12));
    }

    static ByteBuffer buildBatch(int recordBytes) {
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(BATCH_BYTES * 2), Compression.NONE,
            TimestampType.CREATE_TIME, 0L);
        byte[] value = new byte[recordBytes - 8];
        new java.util.Random(42).nextBytes(value);
        for (int i = 0; i < countFor(recordBytes); i++) {
            byte[] key = String.format("key%05d", i).getBytes();
            builder.append(System.currentTimeMillis(), key, value);
        }
        return builder.build().buffer();
    }

    private MemoryRecords freshBatch() {
        scratch.clear();
        scratch.put(batchBytes.duplicate());
        scratch.flip();
        return MemoryRecords.readableRecords(scratch);
    }

    @Benchmark
    public long logAppend() {
        if (log.sizeInBytes() > RESTART_BYTES) {
            log.truncateFullyAndStartAt(log.logEndOffset());
        }
        return log.appendAsLeader(freshBatch(), 0).lastOffset();
    }

    @Benchmark
    public long fileChannelWrite() throws IOException {
        if (baseline.position() > RESTART_BYTES) {
            baseline.truncate(0);
            baseline.position(0);
        }
        scratch.clear();
        scratch.put(batchBytes.duplicate());
        scratch.flip();
        return baseline.write(scratch);
    }

    @Benchmark
    public long logSequentialRead() throws IOException {
        if (logReadOffset >= readLog.logEndOffset()) {
            logReadOffset = 0;
        }
        FetchDataInfo info = readLog.read(logReadOffset, READ_BYTES, Long.MAX_VALUE, true);
        FileRecords records = (FileRecords) info.records();
        readBuffer.clear();
        records.readInto(readBuffer, 0);
        int size = records.sizeInBytes();
        // the offset after the last whole batch read: batches are fixed-size here
        int batches = size / batchBytes.remaining();
        logReadOffset += (long) batches * countFor(recordBytes);
        return size;
    }

    @Benchmark
    public long fileChannelSequentialRead() throws IOException {
        if (baselineReadPosition >= readBaseline.size()) {
            baselineReadPosition = 0;
        }
        readBuffer.clear();
        int n = readBaseline.read(readBuffer, baselineReadPosition);
        baselineReadPosition += n;
        return n;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        log.closeForDeletion();
        readLog.closeForDeletion();
        baseline.close();
        readBaseline.close();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
