package io.millrace.engine.log;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnsupportedCompressionTypeException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.CloseableIterator;

/**
 * Checks appended record batches, as Kafka's {@code LogValidator} and
 * {@code UnifiedLog.analyzeAndValidateRecords}. It only reads: nothing is changed until every
 * batch of an append has passed, so a rejected append leaves the log and the buffer as they were.
 *
 * <p>Errors are kafka-clients' exception types, mapped to wire codes by {@code Errors.forException}:
 * structure and CRC → {@link CorruptRecordException} (CORRUPT_MESSAGE); a batch over
 * {@code max.message.bytes} → {@link RecordTooLargeException} (MESSAGE_TOO_LARGE); an append over
 * {@code segment.bytes} → {@link RecordBatchTooLargeException}; inconsistent counts, offsets,
 * control batches from clients, keyless records on compacted topics → {@link InvalidRecordException}
 * (INVALID_RECORD); timestamps out of bounds → {@link InvalidTimestampException}; an unknown codec →
 * {@link UnsupportedCompressionTypeException}.
 *
 * <p>Not thread-safe: one per log, used by its writer (it caches decompression buffers).
 */
final class AppendValidator {

    /** A checked batch: its record count and its largest record timestamp (and where it is). */
    record CheckedBatch(MutableRecordBatch batch, int count, long maxTimestamp, int offsetDeltaOfMaxTimestamp) {}

    private final TopicPartition tp;
    private final BufferSupplier buffers = BufferSupplier.create();

    AppendValidator(TopicPartition tp) {
        this.tp = tp;
    }

    /**
     * The batches of {@code records}, each checked for structure: whole batches only, magic 2,
     * CRC, a known codec, size limits.
     */
    List<MutableRecordBatch> checkStructure(MemoryRecords records, LogConfig config, boolean fromClient) {
        List<MutableRecordBatch> batches = new ArrayList<>();
        int validBytes = 0;
        try {
            Iterator<MutableRecordBatch> it = records.batchIterator();
            while (it.hasNext()) {
                MutableRecordBatch batch = it.next();
                checkBatch(batch, config, fromClient);
                batches.add(batch);
                validBytes += batch.sizeInBytes();
            }
        } catch (CorruptRecordException e) {
            throw new CorruptRecordException("Corrupt record batch in the append to " + tp + ": " + e.getMessage());
        }
        if (validBytes != records.sizeInBytes()) {
            throw new CorruptRecordException("The append to " + tp + " ends in a partial batch: "
                + (records.sizeInBytes() - validBytes) + " trailing bytes after " + validBytes + " valid bytes");
        }
        if (validBytes > config.segmentBytes()) {
            throw new RecordBatchTooLargeException("The append to " + tp + " is " + validBytes
                + " bytes, more than segment.bytes " + config.segmentBytes());
        }
        return batches;
    }

    private void checkBatch(MutableRecordBatch batch, LogConfig config, boolean fromClient) {
        if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
            throw new InvalidRecordException("Record batch magic " + batch.magic() + " in the append to " + tp
                + " is not supported: only magic 2 (Kafka 0.11+) record batches are accepted");
        }
        if (fromClient && batch.sizeInBytes() > config.maxMessageBytes()) {
            throw new RecordTooLargeException("The record batch of " + batch.sizeInBytes() + " bytes in the append to "
                + tp + " is larger than max.message.bytes " + config.maxMessageBytes());
        }
        batch.ensureValid();
        try {
            batch.compressionType();
        } catch (IllegalArgumentException e) {
            throw new UnsupportedCompressionTypeException("Record batch in the append to " + tp + ": " + e.getMessage());
        }
        if (batch.lastOffset() < batch.baseOffset()) {
            throw new InvalidRecordException("Record batch in the append to " + tp + " has last offset "
                + batch.lastOffset() + " below its base offset " + batch.baseOffset());
        }
        if (!fromClient) {
            return;
        }
        if (batch.baseOffset() != 0) {
            throw new InvalidRecordException("The baseOffset of the record batch in the append to " + tp
                + " should be 0, but it is " + batch.baseOffset());
        }
        Integer count = batch.countOrNull();
        long countFromOffsets = batch.lastOffset() - batch.baseOffset() + 1;
        if (count == null || count <= 0 || countFromOffsets != count) {
            throw new InvalidRecordException("Inconsistent batch offset range [" + batch.baseOffset() + ", "
                + batch.lastOffset() + "] and count of records " + count + " in the append to " + tp);
        }
        if (batch.isControlBatch()) {
            throw new InvalidRecordException("Clients are not allowed to write control records (append to " + tp + ")");
        }
        if (batch.hasProducerId() && batch.baseSequence() < 0) {
            throw new InvalidRecordException("Invalid sequence number " + batch.baseSequence()
                + " in record batch with producerId " + batch.producerId() + " in the append to " + tp);
        }
        if (batch.timestampType() == TimestampType.LOG_APPEND_TIME) {
            throw new InvalidTimestampException("Invalid timestamp type in the append to " + tp
                + ": producers must not set LogAppendTime");
        }
    }

    /**
     * Checks every record of a client batch: the count must match the header, relative offsets
     * must run 0..count-1, timestamps must be within the topic's bounds, and a compacted topic's
     * records must have keys. An uncompressed batch is walked in place ({@link RecordLayout}:
     * lengths and the few fields these checks need, nothing copied); a compressed one is
     * decompressed with kafka-clients' key/value-skipping iterator.
     *
     * @param buffer the append's buffer, holding {@code batch} at absolute {@code batchPosition}
     */
    CheckedBatch checkRecords(ByteBuffer buffer, int batchPosition, MutableRecordBatch batch, LogConfig config,
                              long nowMs) {
        RecordChecks checks = new RecordChecks(config.compact());
        try {
            if (batch.compressionType() == CompressionType.NONE) {
                RecordLayout.walk(buffer, batchPosition, batch.sizeInBytes(), batch.countOrNull(),
                    ((DefaultRecordBatch) batch).baseTimestamp(), checks);
            } else {
                walkCompressed(batch, checks);
            }
        } catch (InvalidRecordException e) {
            if (e == checks.failure) {
                throw e;
            }
            throw new InvalidRecordException("Malformed record at offset delta " + checks.count
                + " of a batch in the append to " + tp + ": " + e.getMessage());
        }
        if (checks.count != batch.countOrNull()) {
            throw new InvalidRecordException("Record batch in the append to " + tp + " declares "
                + batch.countOrNull() + " records but holds " + checks.count);
        }
        if (config.messageTimestampType() == TimestampType.CREATE_TIME) {
            checkTimestampRange(checks, config, nowMs);
        }
        return new CheckedBatch(batch, checks.count, checks.maxTimestamp, checks.offsetDeltaOfMax);
    }

    private void walkCompressed(MutableRecordBatch batch, RecordChecks checks) {
        try (CloseableIterator<Record> records = batch.skipKeyValueIterator(buffers)) {
            while (records.hasNext()) {
                Record record = records.next();
                long offsetDelta = record.offset() - batch.baseOffset();
                checks.record(checks.count, (int) offsetDelta, record.timestamp(), record.hasKey());
            }
        } catch (BufferUnderflowException | IllegalArgumentException | IllegalStateException e) {
            throw new InvalidRecordException("Found invalid record structure: " + e);
        } catch (org.apache.kafka.common.KafkaException e) {
            if (e instanceof InvalidRecordException) {
                throw e;
            }
            throw new InvalidRecordException(e.getMessage());
        }
    }

    /**
     * Per-record checks as the records go by, and the batch's timestamp range. Timestamps are
     * checked once per batch: every record is within [now - before.max, now + after.max] exactly
     * when the smallest and the largest are.
     */
    private final class RecordChecks implements RecordLayout.RecordVisitor {
        private final boolean keysRequired;
        int count;
        long maxTimestamp = RecordBatch.NO_TIMESTAMP;
        int offsetDeltaOfMax;
        /** The smallest timestamp other than NO_TIMESTAMP (which is exempt from the bounds). */
        long minTimestamp = Long.MAX_VALUE;
        int offsetDeltaOfMin = -1;
        /** What {@link #record} threw: a rejected record, not a malformed one. */
        InvalidRecordException failure;

        RecordChecks(boolean keysRequired) {
            this.keysRequired = keysRequired;
        }

        @Override
        public void record(int index, int offsetDelta, long timestamp, boolean hasKey) {
            if (offsetDelta != index) {
                throw fail("Record " + index + " of a batch in the append to " + tp + " has relative offset "
                    + offsetDelta + ", expected " + index);
            }
            if (keysRequired && !hasKey) {
                throw fail("Compacted topic cannot accept message without key in topic partition " + tp
                    + " (record " + index + " of a batch).");
            }
            if (timestamp > maxTimestamp) {
                maxTimestamp = timestamp;
                offsetDeltaOfMax = index;
            }
            if (timestamp != RecordBatch.NO_TIMESTAMP && timestamp < minTimestamp) {
                minTimestamp = timestamp;
                offsetDeltaOfMin = index;
            }
            count = index + 1;
        }

        private InvalidRecordException fail(String message) {
            failure = new InvalidRecordException(message);
            return failure;
        }
    }

    private void checkTimestampRange(RecordChecks checks, LogConfig config, long nowMs) {
        if (checks.offsetDeltaOfMin < 0) {
            return;
        }
        if (isTooOld(checks.minTimestamp, nowMs, config.messageTimestampBeforeMaxMs())) {
            throw timestampOutOfRange(checks.minTimestamp, checks.offsetDeltaOfMin, config, nowMs);
        }
        if (isTooNew(checks.maxTimestamp, nowMs, config.messageTimestampAfterMaxMs())) {
            throw timestampOutOfRange(checks.maxTimestamp, checks.offsetDeltaOfMax, config, nowMs);
        }
    }

    private static boolean isTooOld(long ts, long nowMs, long beforeMaxMs) {
        long diff = saturatedDifference(ts, nowMs);
        return diff < 0 && (diff == Long.MIN_VALUE || -diff > beforeMaxMs);
    }

    private static boolean isTooNew(long ts, long nowMs, long afterMaxMs) {
        return saturatedDifference(ts, nowMs) > afterMaxMs;
    }

    private static long saturatedDifference(long ts, long nowMs) {
        try {
            return Math.subtractExact(ts, nowMs);
        } catch (ArithmeticException e) {
            return ts < nowMs ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private InvalidTimestampException timestampOutOfRange(long ts, int offsetDelta, LogConfig config, long nowMs) {
        return new InvalidTimestampException("Timestamp " + ts + " of the record at offset delta " + offsetDelta
            + " in the append to " + tp + " is out of range: the broker's time is " + nowMs
            + ", message.timestamp.before.max.ms is " + config.messageTimestampBeforeMaxMs()
            + " and message.timestamp.after.max.ms is " + config.messageTimestampAfterMaxMs());
    }

    /** True if the topic asks for a codec other than the batch's, so the batch must be recompressed. */
    static boolean needsRecompression(RecordBatch batch, LogConfig config) {
        return config.topicCompression()
            .map(c -> c.type() != batch.compressionType())
            .orElse(false);
    }

}
