package io.millrace.engine.log;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;

/**
 * A segment's {@code .index}: sparse map from offset to the file position of the batch that
 * ends at that offset, byte-compatible with Kafka's {@code OffsetIndex}.
 *
 * <pre>
 *  entry (8 bytes, big-endian)
 *  +-------------------------+--------------------------+
 *  | relative offset (int32) | physical position (int32)|
 *  +-------------------------+--------------------------+
 *  relative offset = batch last offset - segment base offset
 * </pre>
 *
 * Entries are appended every {@code index.interval.bytes} of log; offsets and positions both
 * strictly increase. See {@link SegmentIndex} for threading.
 */
final class OffsetIndex extends SegmentIndex {
    static final int ENTRY_SIZE = 8;

    /** An index entry, as absolute offset and file position. */
    record Entry(long offset, int position) {}

    private volatile Entry cachedLast;

    OffsetIndex(File file, long baseOffset, int maxIndexSize, boolean writable) throws IOException {
        super(file, baseOffset, maxIndexSize, writable, ENTRY_SIZE);
    }

    @Override
    protected void writeEntry(MappedByteBuffer buf, long relativeOffset, int position) {
        buf.putInt((int) relativeOffset).putInt(position);
    }

    @Override
    protected long keyAt(MappedByteBuffer buf, int n) {
        return buf.getInt(entryOffset(n));
    }

    private Entry entryAt(MappedByteBuffer buf, int n) {
        return new Entry(baseOffset + buf.getInt(entryOffset(n)), buf.getInt(entryOffset(n) + 4));
    }

    /**
     * The entry with the largest offset at most {@code offset}, or (base offset, 0) when there
     * is none: where a scan for {@code offset} may start.
     */
    Entry lookup(long offset) {
        Entry start = new Entry(baseOffset, 0);
        return read((buf, n) -> {
            int slot = largestLowerBoundSlot(buf, n, offset - baseOffset);
            return slot < 0 ? start : entryAt(buf, slot);
        }, start);
    }

    Entry entry(int n) {
        return read((buf, count) -> {
            if (n >= count) {
                throw new IndexOutOfBoundsException("entry " + n + " of " + count + " in " + file());
            }
            return entryAt(buf, n);
        }, null);
    }

    /** The largest indexed batch position at most {@code position}, or 0. */
    int positionAtOrBelow(int position) {
        return read((buf, n) -> {
            int lo = 0;
            int hi = n - 1;
            int found = 0;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int p = buf.getInt(entryOffset(mid) + 4);
                if (p <= position) {
                    found = p;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return found;
        }, 0);
    }

    /**
     * The last entry, or (base offset, 0) when empty. Cached for the writer, which asks at every
     * append; {@link #lastEntryChanged} drops the cache when entries go.
     */
    Entry lastEntry() {
        Entry last = cachedLast;
        if (last == null) {
            Entry none = new Entry(baseOffset, 0);
            last = read((buf, n) -> n == 0 ? none : entryAt(buf, n - 1), none);
            cachedLast = last;
        }
        return last;
    }

    @Override
    protected void lastEntryChanged() {
        cachedLast = null;
    }

    /** Appends (offset, position); both must exceed the last entry's. */
    void append(long offset, int position) {
        long relative = offset - baseOffset;
        if (relative < 0 || relative > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("offset " + offset + " out of range of index " + file());
        }
        Entry last = lastEntry();
        if (entries() > 0 && (offset <= last.offset() || position <= last.position())) {
            throw new IllegalStateException("index " + file() + ": entry (" + offset + ", " + position
                + ") does not follow (" + last.offset() + ", " + last.position() + ")");
        }
        appendEntry(relative, position);
        cachedLast = new Entry(offset, position);
    }

    /** Removes the entries with offsets at or above {@code offset}. */
    void truncateTo(long offset) {
        int slot = read((buf, n) -> largestLowerBoundSlot(buf, n, offset - baseOffset - 1), -1);
        truncateToEntries(slot + 1);
    }

    /**
     * Checks what a crash or a bad disk may break: whole entries, offsets and positions strictly
     * increasing, positions inside the log.
     *
     * @throws CorruptIndexException naming the file and the first bad entry
     */
    void sanityCheck(long logSizeBytes) {
        if (file().length() % ENTRY_SIZE != 0) {
            throw new CorruptIndexException("index " + file() + " has a partial entry (length " + file().length() + ")");
        }
        read((buf, n) -> {
            long prevOffset = -1;
            long prevPosition = -1;
            for (int i = 0; i < n; i++) {
                long rel = buf.getInt(entryOffset(i));
                long pos = buf.getInt(entryOffset(i) + 4);
                if (rel <= prevOffset || pos <= prevPosition || pos >= logSizeBytes || rel < 0) {
                    throw new CorruptIndexException("index " + file() + " entry " + i + " (" + rel + ", " + pos
                        + ") is out of order or beyond the log (" + logSizeBytes + " bytes)");
                }
                prevOffset = rel;
                prevPosition = pos;
            }
            return null;
        }, null);
    }
}
