package io.millrace.engine.log;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What validating one 16 KiB batch of {@link LogAppendBenchmark} costs, part by part: the CRC32C
 * check, the in-place record walk appends use ({@link RecordLayout}), and, for comparison, the
 * kafka-clients decoder walk it replaced. Average time per batch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class AppendValidationBenchmark {
    @Param({"100", "1024"})
    int recordBytes;

    ByteBuffer buffer;
    MutableRecordBatch batch;

    @Setup(Level.Trial)
    public void setUp() {
        buffer = LogAppendBenchmark.buildBatch(recordBytes);
        batch = MemoryRecords.readableRecords(buffer).batchIterator().next();
    }

    @Benchmark
    public void crc() {
        batch.ensureValid();
    }

    @Benchmark
    public void recordLayoutWalk(Blackhole bh) {
        RecordLayout.walk(buffer, buffer.position(), batch.sizeInBytes(), batch.countOrNull(),
            ((DefaultRecordBatch) batch).baseTimestamp(), (index, offsetDelta, timestamp, hasKey) -> {
                bh.consume(offsetDelta);
                bh.consume(timestamp);
            });
    }

    @Benchmark
    public void kafkaDecoderWalk(Blackhole bh) {
        for (Record record : batch) {
            bh.consume(record.offset());
            bh.consume(record.timestamp());
        }
    }
}
