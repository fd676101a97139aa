package io.millrace.engine.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.Records;
import org.apache.kafka.common.record.internal.SimpleRecord;

/** Builders and readers shared by the log tests. */
final class TestLogs {
    static final TopicPartition TP = new TopicPartition("orders", 0);

    private TestLogs() {
    }

    static LogConfig config(Map<String, ?> overrides) {
        return LogConfig.fromMap(overrides);
    }

    static PartitionLog open(Path dir, LogConfig config, ManualTime time, LogScheduler scheduler) throws IOException {
        return PartitionLog.open(TP, dir.resolve(PartitionLog.dirName(TP)), config, time, scheduler, 0L, 0L, false,
            86_400_000L);
    }

    static PartitionLog reopen(Path dir, LogConfig config, ManualTime time, LogScheduler scheduler,
                               long recoveryPoint, boolean clean) throws IOException {
        return PartitionLog.open(TP, dir.resolve(PartitionLog.dirName(TP)), config, time, scheduler, recoveryPoint,
            0L, clean, 86_400_000L);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** One batch of records "prefix-0", "prefix-1", ... with keys "k0", "k1", ... at {@code timestamp}. */
    static MemoryRecords batch(String prefix, int count, long timestamp) {
        return batch(Compression.NONE, prefix, count, timestamp);
    }

    static MemoryRecords batch(Compression compression, String prefix, int count, long timestamp) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = new SimpleRecord(timestamp, bytes("k" + i), bytes(prefix + "-" + i));
        }
        return MemoryRecords.withRecords(compression, records);
    }

    static MemoryRecords records(SimpleRecord... records) {
        return MemoryRecords.withRecords(Compression.NONE, records);
    }

    /** An idempotent producer's batch. */
    static MemoryRecords idempotent(long producerId, short epoch, int baseSequence, int count, long timestamp) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = new SimpleRecord(timestamp, bytes("k" + i), bytes("p" + producerId + "-" + (baseSequence + i)));
        }
        return MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, epoch, baseSequence, records);
    }

    /** A batch with arbitrary offsets, as a leader would send it to a follower. */
    static MemoryRecords replicated(long baseOffset, int leaderEpoch, int count, long timestamp) {
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(1024 + count * 64),
            RecordBatch.MAGIC_VALUE_V2, Compression.NONE, TimestampType.CREATE_TIME, baseOffset,
            RecordBatch.NO_TIMESTAMP, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH,
            RecordBatch.NO_SEQUENCE, false, leaderEpoch);
        for (int i = 0; i < count; i++) {
            builder.append(timestamp, bytes("k" + i), bytes("r" + (baseOffset + i)));
        }
        return builder.build();
    }

    /** Every record readable from {@code from} to the log end, as (offset, value) pairs. */
    static List<String> readAll(PartitionLog log, long from) {
        List<String> out = new ArrayList<>();
        long next = from;
        while (next < log.logEndOffset()) {
            FetchDataInfo info = log.read(next, 64 * 1024, Long.MAX_VALUE, true);
            if (info.records().sizeInBytes() == 0) {
                break;
            }
            for (RecordBatch batch : info.records().batches()) {
                for (Record r : batch) {
                    if (r.offset() >= next) {
                        out.add(r.offset() + ":" + value(r));
                    }
                }
                next = batch.nextOffset();
            }
        }
        return out;
    }

    static String value(Record r) {
        if (!r.hasValue()) {
            return "null";
        }
        ByteBuffer v = r.value();
        byte[] b = new byte[v.remaining()];
        v.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    static String key(Record r) {
        ByteBuffer k = r.key();
        byte[] b = new byte[k.remaining()];
        k.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    static List<Record> records(Records records) {
        List<Record> out = new ArrayList<>();
        records.records().forEach(out::add);
        return out;
    }

    /** File name to bytes, for byte-for-byte comparisons of a directory. */
    static Map<String, byte[]> snapshotDir(Path dir) throws IOException {
        Map<String, byte[]> out = new HashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                if (Files.isRegularFile(p)) {
                    out.put(p.getFileName().toString(), Files.readAllBytes(p));
                }
            }
        }
        return out;
    }

    static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
