package io.millrace.engine.log;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;

/**
 * A segment's {@code .timeindex}: sparse map from the largest timestamp seen so far to the last
 * offset of the batch that carried it, byte-compatible with Kafka's {@code TimeIndex}.
 *
 * <pre>
 *  entry (12 bytes, big-endian)
 *  +-------------------+-------------------------+
 *  | timestamp (int64) | relative offset (int32) |
 *  +-------------------+-------------------------+
 * </pre>
 *
 * Timestamps strictly increase. When a segment becomes inactive its largest timestamp is
 * appended, so the last entry gives the segment's largest timestamp without a scan.
 */
final class TimeIndex extends SegmentIndex {
    static final int ENTRY_SIZE = 12;

    /** An entry: a timestamp and an absolute offset. */
    record Entry(long timestamp, long offset) {}

    private volatile Entry cachedLast;

    TimeIndex(File file, long baseOffset, int maxIndexSize, boolean writable) throws IOException {
        super(file, baseOffset, maxIndexSize, writable, ENTRY_SIZE);
    }

    @Override
    protected void writeEntry(MappedByteBuffer buf, long timestamp, int relativeOffset) {
        buf.putLong(timestamp).putInt(relativeOffset);
    }

    @Override
    protected long keyAt(MappedByteBuffer buf, int n) {
        return buf.getLong(entryOffset(n));
    }

    private Entry entryAt(MappedByteBuffer buf, int n) {
        return new Entry(buf.getLong(entryOffset(n)), baseOffset + buf.getInt(entryOffset(n) + 8));
    }

    /**
     * The last entry, or (-1, base offset) when empty. Cached for the writer, which asks at every
     * append; {@link #lastEntryChanged} drops the cache when entries go.
     */
    Entry lastEntry() {
        Entry last = cachedLast;
        if (last == null) {
            Entry none = new Entry(-1, baseOffset);
            last = read((buf, n) -> n == 0 ? none : entryAt(buf, n - 1), none);
            cachedLast = last;
        }
        return last;
    }

    @Override
    protected void lastEntryChanged() {
        cachedLast = null;
    }

    Entry entry(int n) {
        return read((buf, count) -> {
            if (n >= count) {
                throw new IndexOutOfBoundsException("entry " + n + " of " + count + " in " + file());
            }
            return entryAt(buf, n);
        }, null);
    }

    /**
     * The entry with the largest timestamp strictly below {@code timestamp}, or (-1, base offset):
     * every record at or before its offset is older than {@code timestamp}, so a search for the
     * first record at or after {@code timestamp} may start after it.
     */
    Entry lookupBefore(long timestamp) {
        Entry none = new Entry(-1, baseOffset);
        return read((buf, n) -> {
            int slot = largestLowerBoundSlot(buf, n, timestamp - 1);
            return slot < 0 ? none : entryAt(buf, slot);
        }, none);
    }

    /**
     * Appends (timestamp, offset) if the timestamp is larger than the last entry's. The offset
     * must not be below the last entry's.
     *
     * @param skipFullCheck append even if the preallocated space ends here (roll/close)
     */
    void maybeAppend(long timestamp, long offset, boolean skipFullCheck) {
        if (!skipFullCheck && isFull()) {
            throw new IllegalStateException("time index " + file() + " is full");
        }
        Entry last = lastEntry();
        if (entries() > 0 && offset < last.offset()) {
            throw new IllegalStateException("time index " + file() + ": offset " + offset
                + " is below the last entry's " + last.offset());
        }
        if (entries() == 0 || timestamp > last.timestamp()) {
            if (isFull()) {
                return;
            }
            long relative = offset - baseOffset;
            appendEntry(timestamp, (int) relative);
            cachedLast = new Entry(timestamp, offset);
        }
    }

    /** Removes the entries with offsets at or above {@code offset}. */
    void truncateTo(long offset) {
        int keep = read((buf, n) -> {
            int i = 0;
            while (i < n && baseOffset + buf.getInt(entryOffset(i) + 8) < offset) {
                i++;
            }
            return i;
        }, 0);
        truncateToEntries(keep);
    }

    /** Whole entries, timestamps strictly increasing, offsets never decreasing. */
    void sanityCheck(long lastOffsetInSegment) {
        if (file().length() % ENTRY_SIZE != 0) {
            throw new CorruptIndexException("time index " + file() + " has a partial entry (length "
                + file().length() + ")");
        }
        read((buf, n) -> {
            long prevTs = Long.MIN_VALUE;
            long prevOffset = -1;
            for (int i = 0; i < n; i++) {
                Entry e = entryAt(buf, i);
                if (e.timestamp() <= prevTs || e.offset() < prevOffset || e.offset() < baseOffset
                    || e.offset() > lastOffsetInSegment) {
                    throw new CorruptIndexException("time index " + file() + " entry " + i + " " + e
                        + " is out of order or beyond the segment (last offset " + lastOffsetInSegment + ")");
                }
                prevTs = e.timestamp();
                prevOffset = e.offset();
            }
            return null;
        }, null);
    }
}
