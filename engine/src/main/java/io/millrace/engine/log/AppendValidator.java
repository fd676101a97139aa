package io.millrace.engine.log;

import java.nio.BufferUnderflowException;
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
     * Reads every record of a client batch (decompressing if needed): the count must match the
     * header, relative offsets must run 0..count-1, timestamps must be within the topic's bounds,
     * and a compacted topic's records must have keys.
     */
    CheckedBatch checkRecords(MutableRecordBatch batch, LogConfig config, long nowMs) {
        int declared = batch.countOrNull();
        int n = 0;
        long maxTimestamp = RecordBatch.NO_TIMESTAMP;
        int deltaOfMax = 0;
        boolean createTime = config.messageTimestampType() == TimestampType.CREATE_TIME;
        try (CloseableIterator<Record> records = batch.skipKeyValueIterator(buffers)) {
            while (records.hasNext()) {
                Record record = records.next();
                long expectedOffset = batch.baseOffset() + n;
                if (record.offset() != expectedOffset) {
                    throw new InvalidRecordException("Record " + n + " of a batch in the append to " + tp
                        + " has relative offset " + (record.offset() - batch.baseOffset()) + ", expected " + n);
                }
                if (config.compact() && !record.hasKey()) {
                    throw new InvalidRecordException("Compacted topic cannot accept message without key in topic "
                        + "partition " + tp + ".");
                }
                long ts = record.timestamp();
                if (createTime) {
                    checkTimestamp(ts, config, nowMs);
                }
                if (ts > maxTimestamp) {
                    maxTimestamp = ts;
                    deltaOfMax = n;
                }
                n++;
            }
        } catch (BufferUnderflowException | IllegalArgumentException | IllegalStateException e) {
            throw new InvalidRecordException("Malformed record in a batch of the append to " + tp + ": " + e);
        } catch (org.apache.kafka.common.KafkaException e) {
            if (e instanceof InvalidRecordException || e instanceof InvalidTimestampException) {
                throw e;
            }
            throw new InvalidRecordException("Malformed record in a batch of the append to " + tp + ": "
                + e.getMessage());
        }
        if (n != declared) {
            throw new InvalidRecordException("Record batch in the append to " + tp + " declares " + declared
                + " records but holds " + n);
        }
        return new CheckedBatch(batch, n, maxTimestamp, deltaOfMax);
    }

    private void checkTimestamp(long ts, LogConfig config, long nowMs) {
        if (ts == RecordBatch.NO_TIMESTAMP) {
            return;
        }
        long diff;
        try {
            diff = Math.subtractExact(ts, nowMs);
        } catch (ArithmeticException e) {
            diff = ts < nowMs ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        boolean tooOld = diff < 0 && (diff == Long.MIN_VALUE || -diff > config.messageTimestampBeforeMaxMs());
        boolean tooNew = diff > config.messageTimestampAfterMaxMs();
        if (tooOld || tooNew) {
            throw new InvalidTimestampException("Timestamp " + ts + " of a record in the append to " + tp
                + " is out of range: the broker's time is " + nowMs + ", message.timestamp.before.max.ms is "
                + config.messageTimestampBeforeMaxMs() + " and message.timestamp.after.max.ms is "
                + config.messageTimestampAfterMaxMs());
        }
    }

    /** True if the topic asks for a codec other than the batch's, so the batch must be recompressed. */
    static boolean needsRecompression(RecordBatch batch, LogConfig config) {
        return config.topicCompression()
            .map(c -> c.type() != batch.compressionType())
            .orElse(false);
    }

    static CompressionType typeOf(RecordBatch batch) {
        return batch.compressionType();
    }
}
