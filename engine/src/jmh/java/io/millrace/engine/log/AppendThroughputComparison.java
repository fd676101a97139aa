package io.millrace.engine.log;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.utils.Time;

/**
 * {@link LogAppendBenchmark}'s append comparison, interleaved for a shared machine: the log and
 * the plain {@link FileChannel} write the same 16 KiB batches in alternating slices of a quarter
 * second, so whatever else runs on the machine slows both sides alike, and the figure reported
 * is the median of the per-round ratios (log / FileChannel), by wall time and by the benchmark
 * thread's CPU time (user + system). Both sides start over between slices (untimed) once they
 * hold 256 MiB, so that the figure is of appends alone: JMH's {@link LogAppendBenchmark} counts
 * those restarts (the log's is dearer: segment files deleted and created, two leader-epoch
 * checkpoint writes). JMH's figures are the reference on a quiet machine; this
 * one stays within a few percent when the machine is busy, where JMH's error bars exceed 100 %.
 *
 * <pre>
 * mvn -B -pl engine -am -Pjmh -DskipTests test -Djmh.main=io.millrace.engine.log.AppendThroughputComparison \
 *     "-Djmh.args=100 1024"
 * </pre>
 */
public final class AppendThroughputComparison {
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final int WARM_UP_ROUNDS = 12;
    private static final int ROUNDS = 40;

    /** One slice of one side: operations done, wall and CPU nanoseconds spent. */
    private record Slice(long ops, long wallNanos, long cpuNanos) {
        double opsPerWallSecond() {
            return ops * 1e9 / wallNanos;
        }

        double opsPerCpuSecond() {
            return ops * 1e9 / Math.max(1, cpuNanos);
        }
    }

    private interface Op {
        void run() throws IOException;
    }

    private final int recordBytes;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Path dir;
    private final PartitionLog log;
    private final FileChannel baseline;
    private final ByteBuffer batchBytes;
    private final ByteBuffer scratch;

    private AppendThroughputComparison(int recordBytes) throws IOException {
        this.recordBytes = recordBytes;
        this.dir = Files.createTempDirectory("millrace-append-comparison");
        // Background work (deleting the segments a restart dropped) runs inline: its cost counts
        // against the log as the baseline's truncate counts against the FileChannel.
        LogScheduler scheduler = (name, task, delayMs) -> task.run();
        LogConfig config = LogConfig.fromMap(Map.of("message.timestamp.after.max.ms", Long.MAX_VALUE,
            "message.timestamp.before.max.ms", Long.MAX_VALUE));
        this.log = PartitionLog.open(new TopicPartition("bench", 0), dir.resolve("bench-0"), config, Time.SYSTEM,
            scheduler, 0, 0, false, 86_400_000L);
        this.baseline = FileChannel.open(dir.resolve("baseline.bin"), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE, StandardOpenOption.READ);
        this.batchBytes = LogAppendBenchmark.buildBatch(recordBytes);
        this.scratch = ByteBuffer.allocate(batchBytes.remaining());
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String arg : args) {
            sizes.add(Integer.parseInt(arg));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(100, 1024);
        }
        for (int recordBytes : sizes) {
            AppendThroughputComparison comparison = new AppendThroughputComparison(recordBytes);
            try {
                comparison.run();
            } finally {
                comparison.close();
            }
        }
    }

    /** Both sides start over between slices, untimed, once they hold 256 MiB: the comparison is of appends. */
    private void maybeRestart() throws IOException {
        if (log.sizeInBytes() > LogAppendBenchmark.RESTART_BYTES) {
            log.truncateFullyAndStartAt(log.logEndOffset());
        }
        if (baseline.position() > LogAppendBenchmark.RESTART_BYTES) {
            baseline.truncate(0);
            baseline.position(0);
        }
    }

    private void appendToLog() {
        scratch.clear();
        scratch.put(batchBytes.duplicate());
        scratch.flip();
        log.appendAsLeader(MemoryRecords.readableRecords(scratch), 0);
    }

    private void writeToFileChannel() throws IOException {
        scratch.clear();
        scratch.put(batchBytes.duplicate());
        scratch.flip();
        baseline.write(scratch);
    }

    private Slice slice(Op op) throws IOException {
        maybeRestart();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long ops = 0;
        long now;
        do {
            op.run();
            ops++;
            now = System.nanoTime();
        } while (now - start < SLICE_NANOS);
        return new Slice(ops, now - start, threads.getCurrentThreadCpuTime() - cpuStart);
    }

    private void run() throws IOException {
        int bytes = batchBytes.remaining();
        System.out.printf("%n%d records of %d bytes per batch, %d bytes; %d rounds of %d ms per side%n",
            LogAppendBenchmark.countFor(recordBytes), recordBytes, bytes, ROUNDS,
            TimeUnit.NANOSECONDS.toMillis(SLICE_NANOS));
        for (int i = 0; i < WARM_UP_ROUNDS; i++) {
            slice(this::appendToLog);
            slice(this::writeToFileChannel);
        }
        List<Double> logMbs = new ArrayList<>();
        List<Double> fileMbs = new ArrayList<>();
        List<Double> wallRatios = new ArrayList<>();
        List<Double> cpuRatios = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            // Alternate which side goes first, so neither always follows the other's page-cache work.
            Slice logSlice;
            Slice fileSlice;
            if (i % 2 == 0) {
                logSlice = slice(this::appendToLog);
                fileSlice = slice(this::writeToFileChannel);
            } else {
                fileSlice = slice(this::writeToFileChannel);
                logSlice = slice(this::appendToLog);
            }
            logMbs.add(logSlice.opsPerWallSecond() * bytes / 1e6);
            fileMbs.add(fileSlice.opsPerWallSecond() * bytes / 1e6);
            wallRatios.add(logSlice.opsPerWallSecond() / fileSlice.opsPerWallSecond());
            cpuRatios.add(logSlice.opsPerCpuSecond() / fileSlice.opsPerCpuSecond());
        }
        System.out.printf("log append        median %,8.0f MB/s (quartiles %,.0f .. %,.0f)%n", median(logMbs),
            quantile(logMbs, 0.25), quantile(logMbs, 0.75));
        System.out.printf("FileChannel write median %,8.0f MB/s (quartiles %,.0f .. %,.0f)%n", median(fileMbs),
            quantile(fileMbs, 0.25), quantile(fileMbs, 0.75));
        System.out.printf("log / FileChannel, wall time: median %.0f %% (quartiles %.0f %% .. %.0f %%)%n",
            100 * median(wallRatios), 100 * quantile(wallRatios, 0.25), 100 * quantile(wallRatios, 0.75));
        System.out.printf("log / FileChannel, CPU time:  median %.0f %% (quartiles %.0f %% .. %.0f %%)%n",
            100 * median(cpuRatios), 100 * quantile(cpuRatios, 0.25), 100 * quantile(cpuRatios, 0.75));
    }

    private static double median(List<Double> values) {
        return quantile(values, 0.5);
    }

    private static double quantile(List<Double> values, double q) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get((int) Math.round(q * (sorted.size() - 1)));
    }

    private void close() throws IOException {
        log.closeForDeletion();
        baseline.close();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
