package io.millrace.engine.log;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import org.apache.kafka.common.utils.internals.ByteBufferUnmapper;

/**
 * A sparse, memory-mapped index of fixed-size entries, sorted by key, as Kafka keeps its
 * {@code .index} and {@code .timeindex} files. The file of the active segment is preallocated
 * to its maximum size (zeros past the last entry) and trimmed to its entries when the segment
 * rolls or the log closes.
 *
 * <p>Thread-safety: appends come from the log's single writer; lookups may run concurrently
 * from readers. A lookup holds the read lock and reads {@code entries} once, so it sees a
 * consistent prefix; resizing and closing (which unmap the file, after which touching the old
 * mapping would crash the JVM) hold the write lock.
 */
abstract class SegmentIndex implements AutoCloseable {
    protected final long baseOffset;
    private final int entrySize;
    private volatile File file;
    private final int maxIndexSize;
    private MappedByteBuffer mmap;
    private volatile int entries;
    private int maxEntries;

    /**
     * Opens or creates the index. A new or writable index is mapped at {@code maxIndexSize}
     * bytes (rounded down to whole entries); an existing file keeps its entries, counted from
     * its length, which recovery trusts only after {@link #sanityCheck}.
     */
    protected SegmentIndex(File file, long baseOffset, int maxIndexSize, boolean writable, int entrySize)
        throws IOException {
        this.file = file;
        this.baseOffset = baseOffset;
        this.entrySize = entrySize;
        this.maxIndexSize = maxIndexSize;
        boolean existed = file.exists() && file.length() > 0;
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw")) {
            long existingLength = raf.length();
            int existingEntries = (int) (existingLength / entrySize);
            if (writable) {
                long size = Math.max(roundDown(maxIndexSize), (long) existingEntries * entrySize);
                raf.setLength(size);
            }
            long length = raf.length();
            this.mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, length);
            this.entries = existed ? existingEntries : 0;
            this.maxEntries = (int) (length / entrySize);
            this.mmap.position(entries * entrySize);
        }
    }

    private long roundDown(long size) {
        return size - size % entrySize;
    }

    File file() {
        return file;
    }

    int entries() {
        return entries;
    }

    int maxEntries() {
        return maxEntries;
    }

    boolean isFull() {
        return entries >= maxEntries;
    }

    long sizeInBytes() {
        return (long) entries * entrySize;
    }

    private final java.util.concurrent.locks.ReentrantReadWriteLock lock =
        new java.util.concurrent.locks.ReentrantReadWriteLock();
    private boolean closed;

    /**
     * Runs a lookup against a consistent view: {@code reader} gets a duplicate of the mapping
     * and the entry count. Returns {@code closedValue} if the index has been closed (its
     * segment was deleted under a reader's feet).
     */
    protected <T> T read(java.util.function.BiFunction<MappedByteBuffer, Integer, T> reader, T closedValue) {
        lock.readLock().lock();
        try {
            if (closed) {
                return closedValue;
            }
            return reader.apply((MappedByteBuffer) mmap.duplicate(), entries);
        } finally {
            lock.readLock().unlock();
        }
    }

    protected int entryOffset(int n) {
        return n * entrySize;
    }

    /** Appends the next entry (called by the subclass on the writer thread). */
    protected void appendEntry(long key, int value) {
        if (isFull()) {
            throw new IllegalStateException("index " + file + " is full (" + entries + " entries)");
        }
        writeEntry(mmap, key, value);
        entries++;
    }

    /** Writes one entry at the mapping's position (the writer's, under no lock: readers stop at {@code entries}). */
    protected abstract void writeEntry(MappedByteBuffer buf, long key, int value);

    /** Forgets entries from {@code n} on (appends overwrite them). */
    protected void truncateToEntries(int n) {
        lock.writeLock().lock();
        try {
            entries = Math.max(0, Math.min(n, entries));
            mmap.position(entries * entrySize);
        } finally {
            lock.writeLock().unlock();
        }
        lastEntryChanged();
    }

    /** The last entry is no longer what a subclass may have cached (entries were removed). */
    protected void lastEntryChanged() {
    }

    /** Removes every entry. */
    void reset() {
        truncateToEntries(0);
    }

    /**
     * The largest slot whose key is at most {@code target}, or -1 when every key is larger (or
     * there is no entry). Keys are sorted, so this is a binary search.
     */
    protected int largestLowerBoundSlot(MappedByteBuffer buf, int n, long target) {
        int lo = 0;
        int hi = n - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (keyAt(buf, mid) <= target) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** The sort key of entry {@code n}. */
    protected abstract long keyAt(MappedByteBuffer buf, int n);

    /** Shrinks the file to its entries (on roll and close). */
    void trimToValidSize() throws IOException {
        resize(entries * entrySize);
    }

    /** Grows the file back to its maximum size, to take appends again. */
    void resizeToMax() throws IOException {
        int size = (int) Math.max(roundDown(maxIndexSize), (long) entries * entrySize);
        if (size != mmap.capacity()) { // an index opened writable is mapped at its maximum already
            resize(size);
        }
    }

    private void resize(int newSize) throws IOException {
        lock.writeLock().lock();
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw")) {
            if (closed) {
                throw new IOException("index " + file + " is closed");
            }
            int position = mmap.position();
            unmap();
            raf.setLength(newSize);
            mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, newSize);
            maxEntries = newSize / entrySize;
            mmap.position(Math.min(position, newSize));
        } finally {
            lock.writeLock().unlock();
        }
    }

    void flush() {
        lock.readLock().lock();
        try {
            if (!closed) {
                mmap.force();
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Moves the file (for {@code .cleaned}/{@code .swap}/{@code .deleted} suffixes). */
    void renameTo(File target) throws IOException {
        lock.writeLock().lock();
        try {
            if (file.exists()) {
                Files.move(file.toPath(), target.toPath(), StandardCopyOption.ATOMIC_MOVE);
            }
            file = target;
        } finally {
            lock.writeLock().unlock();
        }
    }

    boolean deleteIfExists() throws IOException {
        close();
        return Files.deleteIfExists(file.toPath());
    }

    private void unmap() throws IOException {
        ByteBufferUnmapper.unmap(file.getAbsolutePath(), mmap);
    }

    @Override
    public void close() throws IOException {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                unmap();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
