package io.millrace.engine.log;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Gives a leader append's validated batches their final offsets, the leader epoch and, under
 * {@code LogAppendTime}, the broker's time: the second half of Kafka's {@code LogValidator}.
 * The batches keep the producer's own bytes (offsets, epoch and max timestamp are header fields,
 * the base offset is outside the CRC and the rest is re-checksummed in place) unless the topic's
 * {@code compression.type} asks for another codec, in which case they are rebuilt with it.
 *
 * <p>Stateless; called by the log's writer.
 */
final class OffsetAssigner {

    /**
     * The bytes to write and what the append will report.
     *
     * @param offsetOfMaxTimestamp the offset of the record holding {@code maxTimestamp} (the
     *     first record under LogAppendTime, where all records share it)
     */
    record Assigned(MemoryRecords records, long lastOffset, long maxTimestamp, long offsetOfMaxTimestamp,
                    int numRecords) {}

    private OffsetAssigner() {
    }

    /**
     * @param records the append, whose batches {@code checked} are, in order
     * @param firstOffset the log end offset: the first batch's base offset
     * @throws RecordBatchTooLargeException recompressed batches no longer fit {@code segment.bytes}
     */
    static Assigned assign(TopicPartition tp, MemoryRecords records, List<AppendValidator.CheckedBatch> checked,
                           long firstOffset, int leaderEpoch, LogConfig config, long nowMs) {
        boolean logAppendTime = config.messageTimestampType() == TimestampType.LOG_APPEND_TIME;
        boolean recompress = false;
        for (AppendValidator.CheckedBatch c : checked) {
            recompress |= AppendValidator.needsRecompression(c.batch(), config);
        }
        MemoryRecords toWrite = recompress
            ? recompress(tp, checked, config, firstOffset, leaderEpoch, logAppendTime, nowMs)
            : assignInPlace(records, checked, firstOffset, leaderEpoch, logAppendTime, nowMs);
        long maxTimestamp = RecordBatch.NO_TIMESTAMP;
        long offsetOfMax = firstOffset;
        long next = firstOffset;
        for (AppendValidator.CheckedBatch c : checked) {
            long ts = logAppendTime ? nowMs : c.maxTimestamp();
            if (ts > maxTimestamp) {
                maxTimestamp = ts;
                offsetOfMax = next + (logAppendTime ? 0 : c.offsetDeltaOfMaxTimestamp());
            }
            next += c.count();
        }
        return new Assigned(toWrite, next - 1, maxTimestamp, offsetOfMax, (int) (next - firstOffset));
    }

    /** Sets offsets, leader epoch and timestamps in the producer's own bytes (no copy). */
    private static MemoryRecords assignInPlace(MemoryRecords records, List<AppendValidator.CheckedBatch> checked,
                                               long firstOffset, int leaderEpoch, boolean logAppendTime, long nowMs) {
        long next = firstOffset;
        for (AppendValidator.CheckedBatch c : checked) {
            MutableRecordBatch batch = c.batch();
            next += c.count();
            batch.setLastOffset(next - 1);
            batch.setPartitionLeaderEpoch(leaderEpoch);
            if (logAppendTime) {
                batch.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, nowMs);
            } else if (batch.maxTimestamp() != c.maxTimestamp()) {
                // The producer's header disagrees with its records: the records win, as in Kafka.
                batch.setMaxTimestamp(TimestampType.CREATE_TIME, c.maxTimestamp());
            }
        }
        return records;
    }

    /** Rebuilds the batches with the topic's codec, keeping the producer's id, epoch and sequences. */
    private static MemoryRecords recompress(TopicPartition tp, List<AppendValidator.CheckedBatch> checked,
                                            LogConfig config, long firstOffset, int leaderEpoch, boolean logAppendTime,
                                            long nowMs) {
        Compression target = config.topicCompression().orElseThrow();
        List<MemoryRecords> built = new ArrayList<>(checked.size());
        int total = 0;
        long offset = firstOffset;
        for (AppendValidator.CheckedBatch c : checked) {
            RecordBatch batch = c.batch();
            MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(batch.sizeInBytes() + 256),
                RecordBatch.MAGIC_VALUE_V2, target,
                logAppendTime ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME, offset,
                logAppendTime ? nowMs : RecordBatch.NO_TIMESTAMP, batch.producerId(), batch.producerEpoch(),
                batch.baseSequence(), batch.isTransactional(), leaderEpoch);
            for (Record record : batch) {
                builder.appendWithOffset(offset++, record);
            }
            MemoryRecords records = builder.build();
            built.add(records);
            total += records.sizeInBytes();
        }
        if (total > config.segmentBytes()) {
            throw new RecordBatchTooLargeException("The recompressed append to " + tp + " is " + total
                + " bytes, more than segment.bytes " + config.segmentBytes());
        }
        ByteBuffer out = ByteBuffer.allocate(total);
        for (MemoryRecords records : built) {
            out.put(records.buffer().duplicate());
        }
        out.flip();
        return MemoryRecords.readableRecords(out);
    }
}
