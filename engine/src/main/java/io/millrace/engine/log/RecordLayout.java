package io.millrace.engine.log;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.utils.internals.ByteUtils;

/**
 * The layout of the records inside an uncompressed record batch (magic 2), and a walk over them
 * that reads, in place, only what append validation needs: each record's offset delta,
 * timestamp delta and whether it has a key. Keys, values and headers are skipped by their
 * lengths, not copied or decoded, yet every length is checked, so the walk accepts exactly the
 * records that kafka-clients' own decoder ({@code DefaultRecord.readFrom}) accepts.
 *
 * <pre>
 *  record (varint = zigzag base-128, as in Kafka)
 *  +---------------+----------------+------------------------+---------------------+
 *  | length varint | attributes int8| timestampDelta varlong | offsetDelta varint  |
 *  +---------------+----------------+------------------------+---------------------+
 *  | keyLength varint (-1 = null) | key | valueLength varint (-1 = null) | value     |
 *  +------------------------------+-----+--------------------------------+-----------+
 *  | headerCount varint | headers: (keyLength varint >= 0, key, valueLength varint, value)* |
 *  +--------------------+-------------------------------------------------------------+
 *  length counts the bytes after itself; the batch holds exactly `count` records, nothing after.
 * </pre>
 *
 * <p>Why: decoding every record with {@code DefaultRecord.readFrom} allocates a record, two
 * buffer slices and a header array per record, which made small-record appends cost twice the
 * file write itself. Stateless and thread-safe.
 */
final class RecordLayout {

    /** What the walk reports of each record, in order. */
    interface RecordVisitor {
        /**
         * @param index the record's position in the batch, from 0
         * @param offsetDelta its offset relative to the batch's base offset
         * @param timestamp the batch's base timestamp plus its timestamp delta
         * @param hasKey its key is not null
         */
        void record(int index, int offsetDelta, long timestamp, boolean hasKey);
    }

    private RecordLayout() {
    }

    /**
     * Walks the records of the uncompressed batch at {@code batchPosition} in {@code buffer}
     * (absolute position; the buffer's own position and limit are left alone).
     *
     * @param batchSize the batch's size in bytes, header included (checked by the caller)
     * @param count the record count the batch header declares
     * @throws InvalidRecordException a record's lengths do not add up, the batch holds fewer or
     *     more records than {@code count}, or a varint is malformed
     */
    static void walk(ByteBuffer buffer, int batchPosition, int batchSize, int count, long baseTimestamp,
                     RecordVisitor visitor) {
        ByteBuffer in = buffer.duplicate();
        int batchEnd = batchPosition + batchSize;
        in.limit(batchEnd).position(batchPosition + DefaultRecordBatch.RECORD_BATCH_OVERHEAD);
        int index = 0;
        try {
            for (; index < count; index++) {
                walkRecord(in, index, baseTimestamp, visitor);
                in.limit(batchEnd);
            }
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new InvalidRecordException("Found invalid record structure in record " + index + ": " + e);
        }
        if (in.position() != batchEnd) {
            throw new InvalidRecordException("Incorrect declared batch size: " + (batchEnd - in.position())
                + " bytes remain after the " + count + " declared records");
        }
    }

    /** One record; leaves {@code in} at the record's end (its limit set there). */
    private static void walkRecord(ByteBuffer in, int index, long baseTimestamp, RecordVisitor visitor) {
        int bodySize = ByteUtils.readVarint(in);
        if (bodySize < 0 || bodySize > in.remaining()) {
            throw new InvalidRecordException("Invalid record size " + bodySize + " in record " + index + ": "
                + in.remaining() + " bytes remain in the batch");
        }
        int bodyEnd = in.position() + bodySize;
        in.limit(bodyEnd);
        in.get(); // record attributes: unused in magic 2
        long timestampDelta = ByteUtils.readVarlong(in);
        int offsetDelta = ByteUtils.readVarint(in);
        int keySize = ByteUtils.readVarint(in);
        skip(in, keySize);
        skip(in, ByteUtils.readVarint(in));
        int headers = ByteUtils.readVarint(in);
        if (headers < 0) {
            throw new InvalidRecordException("Found invalid number of record headers " + headers + " in record "
                + index);
        }
        for (int h = 0; h < headers; h++) {
            int headerKeySize = ByteUtils.readVarint(in);
            if (headerKeySize < 0) {
                throw new InvalidRecordException("Invalid negative header key size " + headerKeySize + " in record "
                    + index);
            }
            skip(in, headerKeySize);
            skip(in, ByteUtils.readVarint(in));
        }
        if (in.position() != bodyEnd) {
            throw new InvalidRecordException("Invalid record size: expected to read " + bodySize
                + " bytes in record " + index + " but its fields end " + (bodyEnd - in.position()) + " bytes early");
        }
        visitor.record(index, offsetDelta, baseTimestamp + timestampDelta, keySize >= 0);
    }

    /** Skips a field of {@code size} bytes; a negative size is a null field (nothing to skip). */
    private static void skip(ByteBuffer in, int size) {
        if (size > 0) {
            if (size > in.remaining()) {
                throw new InvalidRecordException("A field of " + size + " bytes overruns its record ("
                    + in.remaining() + " bytes left)");
            }
            in.position(in.position() + size);
        }
    }
}
