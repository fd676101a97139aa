package io.millrace.engine.log;

import java.nio.ByteBuffer;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;

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
        int batchEnd = batchPosition + batchSize;
        if (batchPosition < 0 || batchSize < DefaultRecordBatch.RECORD_BATCH_OVERHEAD || batchEnd > buffer.limit()) {
            throw new IllegalArgumentException("batch [" + batchPosition + ", " + batchEnd + ") is not inside the "
                + "buffer's " + buffer.limit() + " bytes");
        }
        Cursor in = new Cursor(buffer, batchPosition + DefaultRecordBatch.RECORD_BATCH_OVERHEAD, batchEnd);
        for (int index = 0; index < count; index++) {
            walkRecord(in, index, baseTimestamp, visitor);
        }
        int end = in.position;
        if (end != batchEnd) {
            throw new InvalidRecordException("Incorrect declared batch size: " + (batchEnd - end)
                + " bytes remain after the " + count + " declared records");
        }
    }

    private static void skipHeaders(Cursor in, int headers, int index) {
        if (headers < 0) {
            throw new InvalidRecordException("Found invalid number of record headers " + headers + " in record "
                + index);
        }
        for (int h = 0; h < headers; h++) {
            int headerKeySize = in.readVarint(index);
            if (headerKeySize < 0) {
                throw new InvalidRecordException("Invalid negative header key size " + headerKeySize + " in record "
                    + index);
            }
            in.skip(headerKeySize, index);
            in.skip(in.readVarint(index), index);
        }
    }

    private static InvalidRecordException invalidSize(int bodySize, int index, int remaining) {
        return new InvalidRecordException("Invalid record size " + bodySize + " in record " + index + ": "
            + remaining + " bytes remain in the batch");
    }

    private static InvalidRecordException fieldsDisagree(int bodySize, int index, int read) {
        return new InvalidRecordException("Invalid record size: expected to read " + bodySize
            + " bytes in record " + index + ", but its fields take " + read);
    }

    /** One record; leaves the cursor at the record's end. */
    private static void walkRecord(Cursor in, int index, long baseTimestamp, RecordVisitor visitor) {
        int bodySize = in.readVarint(index);
        if (bodySize < 0 || bodySize > in.remaining()) {
            throw invalidSize(bodySize, index, in.remaining());
        }
        // Fields are read up to the batch's end, not the record's, as kafka-clients' decoder does:
        // a field that overruns its record leaves the position past bodyEnd, caught below.
        int bodyEnd = in.position + bodySize;
        in.skip(1, index); // record attributes: unused in magic 2
        long timestampDelta = in.readVarlong(index);
        int offsetDelta = in.readVarint(index);
        int keySize = in.readVarint(index);
        in.skip(keySize, index);
        in.skip(in.readVarint(index), index);
        int headers = in.readVarint(index);
        if (headers != 0) {
            skipHeaders(in, headers, index);
        }
        if (in.position != bodyEnd) {
            throw fieldsDisagree(bodySize, index, in.position - (bodyEnd - bodySize));
        }
        visitor.record(index, offsetDelta, baseTimestamp + timestampDelta, keySize >= 0);
    }

    /**
     * Reads varints at an absolute position, never past {@code limit}: the same values and the
     * same malformed encodings as kafka-clients' {@code ByteUtils} (at most 5 bytes for an int,
     * 10 for a long), without moving a buffer's position byte by byte.
     */
    static final class Cursor {
        private final ByteBuffer buffer;
        /** The heap buffer's array (null for a direct buffer): read without the buffer's own checks. */
        private final byte[] array;
        private final int arrayOffset;
        int position;
        final int limit;

        /** Reads {@code buffer} at absolute positions from {@code position}, never at or past {@code limit}. */
        Cursor(ByteBuffer buffer, int position, int limit) {
            if (position < 0 || limit > buffer.limit()) {
                throw new IllegalArgumentException("[" + position + ", " + limit + ") is not inside the buffer's "
                    + buffer.limit() + " bytes");
            }
            this.buffer = buffer;
            this.array = buffer.hasArray() ? buffer.array() : null;
            this.arrayOffset = buffer.hasArray() ? buffer.arrayOffset() : 0;
            this.position = position;
            this.limit = limit;
        }

        int remaining() {
            return limit - position;
        }

        private byte byteAt(int at) {
            return array != null ? array[arrayOffset + at] : buffer.get(at);
        }

        private byte next(int index) {
            if (position >= limit) {
                throw structure(index, "a field runs past the end of its record");
            }
            return byteAt(position++);
        }

        /** A zigzag varint; one- and two-byte encodings (nearly all of them) take the short path. */
        int readVarint(int index) {
            if (limit - position >= 2) {
                byte b0 = byteAt(position);
                if (b0 >= 0) {
                    position++;
                    return (b0 >>> 1) ^ -(b0 & 1);
                }
                byte b1 = byteAt(position + 1);
                if (b1 >= 0) {
                    position += 2;
                    int raw = (b0 & 0x7f) | (b1 << 7);
                    return (raw >>> 1) ^ -(raw & 1);
                }
            }
            return readLongVarint(index);
        }

        private int readLongVarint(int index) {
            int raw = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                byte b = next(index);
                raw |= (b & 0x7f) << shift;
                if (b >= 0) {
                    return (raw >>> 1) ^ -(raw & 1);
                }
            }
            throw structure(index, "a varint is longer than 5 bytes");
        }

        long readVarlong(int index) {
            if (position < limit) {
                byte b0 = byteAt(position);
                if (b0 >= 0) {
                    position++;
                    return (b0 >>> 1) ^ -(b0 & 1);
                }
            }
            return readLongVarlong(index);
        }

        private long readLongVarlong(int index) {
            long raw = 0;
            int shift = 0;
            byte b;
            while ((b = next(index)) < 0) {
                raw |= (long) (b & 0x7f) << shift;
                shift += 7;
                if (shift > 63) {
                    throw structure(index, "a varlong is longer than 10 bytes");
                }
            }
            raw |= (long) b << shift;
            return (raw >>> 1) ^ -(raw & 1);
        }

        /** Skips a field of {@code size} bytes; a negative size is a null field (nothing to skip). */
        void skip(int size, int index) {
            if (size > 0) {
                if (size > remaining()) {
                    throw structure(index, "a field of " + size + " bytes overruns its record (" + remaining()
                        + " bytes left)");
                }
                position += size;
            }
        }

        static InvalidRecordException structure(int index, String what) {
            return new InvalidRecordException("Found invalid record structure in record " + index + ": " + what);
        }
    }
}
