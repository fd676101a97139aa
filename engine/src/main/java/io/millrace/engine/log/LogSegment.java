package io.millrace.engine.log;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.FileRecords.LogOffsetPosition;
import org.apache.kafka.common.record.internal.FileRecords.TimestampAndOffset;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.Time;

/**
 * One segment of a partition log: the {@code .log} file of record batches (Kafka's
 * {@link FileRecords}) and its {@link OffsetIndex} and {@link TimeIndex}, all named by the
 * 20-digit base offset.
 *
 * <p>Thread-safety: the log's writer appends and truncates; readers call {@link #translateOffset},
 * {@link #read} and the timestamp lookups concurrently, bounded by positions the log published
 * after the bytes were written.
 */
final class LogSegment implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LogSegment.class);
    static final String LOG_SUFFIX = ".log";
    static final String INDEX_SUFFIX = ".index";
    static final String TIME_INDEX_SUFFIX = ".timeindex";
    static final String DELETED_SUFFIX = ".deleted";
    static final String CLEANED_SUFFIX = ".cleaned";
    static final String SWAP_SUFFIX = ".swap";

    private final long baseOffset;
    private final FileRecords log;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final int indexIntervalBytes;
    private final long rollJitterMs;
    private final long createdMs;
    private int bytesSinceLastIndexEntry;
    private volatile long maxTimestampSoFar = RecordBatch.NO_TIMESTAMP;
    private volatile long offsetOfMaxTimestampSoFar;
    /** The first batch's max timestamp: segment.ms counts from it, as Kafka does. */
    private long rollingBasedTimestamp = RecordBatch.NO_TIMESTAMP;

    private LogSegment(long baseOffset, FileRecords log, OffsetIndex offsetIndex, TimeIndex timeIndex,
                       int indexIntervalBytes, long rollJitterMs, Time time) {
        this.baseOffset = baseOffset;
        this.log = log;
        this.offsetIndex = offsetIndex;
        this.timeIndex = timeIndex;
        this.indexIntervalBytes = indexIntervalBytes;
        this.rollJitterMs = rollJitterMs;
        this.createdMs = time.milliseconds();
        this.offsetOfMaxTimestampSoFar = baseOffset;
    }

    /** {@code 00000000000000000042}: Kafka's 20-digit file name stem. */
    static String filenamePrefix(long offset) {
        String digits = Long.toString(offset); // offsets are never negative
        return "0".repeat(Math.max(0, 20 - digits.length())) + digits;
    }

    static File logFile(Path dir, long baseOffset, String suffix) {
        return dir.resolve(filenamePrefix(baseOffset) + LOG_SUFFIX + suffix).toFile();
    }

    static File offsetIndexFile(Path dir, long baseOffset, String suffix) {
        return dir.resolve(filenamePrefix(baseOffset) + INDEX_SUFFIX + suffix).toFile();
    }

    static File timeIndexFile(Path dir, long baseOffset, String suffix) {
        return dir.resolve(filenamePrefix(baseOffset) + TIME_INDEX_SUFFIX + suffix).toFile();
    }

    /**
     * Opens a segment's files, creating them if needed.
     *
     * @param suffix "" for a live segment, {@link #CLEANED_SUFFIX} or {@link #SWAP_SUFFIX} while compacting
     * @param writable map the indexes at their full size (for appends)
     */
    static LogSegment open(Path dir, long baseOffset, LogConfig config, Time time, String suffix,
                           boolean writable) throws IOException {
        File logFile = logFile(dir, baseOffset, suffix);
        boolean exists = logFile.exists();
        boolean preallocate = config.preallocate() && !exists && suffix.isEmpty();
        FileRecords records = FileRecords.open(logFile, exists, preallocate ? config.segmentBytes() : 0, preallocate);
        OffsetIndex offsetIndex = new OffsetIndex(offsetIndexFile(dir, baseOffset, suffix), baseOffset,
            config.segmentIndexBytes(), writable);
        TimeIndex timeIndex = new TimeIndex(timeIndexFile(dir, baseOffset, suffix), baseOffset,
            config.segmentIndexBytes(), writable);
        return new LogSegment(baseOffset, records, offsetIndex, timeIndex, config.indexIntervalBytes(),
            config.segmentJitterMs(), time);
    }

    long baseOffset() {
        return baseOffset;
    }

    FileRecords log() {
        return log;
    }

    OffsetIndex offsetIndex() {
        return offsetIndex;
    }

    TimeIndex timeIndex() {
        return timeIndex;
    }

    int size() {
        return log.sizeInBytes();
    }

    long maxTimestampSoFar() {
        return maxTimestampSoFar;
    }

    long offsetOfMaxTimestampSoFar() {
        return offsetOfMaxTimestampSoFar;
    }

    /**
     * Appends batches whose offsets were assigned already, adding index entries every
     * {@code index.interval.bytes}.
     */
    void append(MemoryRecords records) throws IOException {
        List<RecordBatch> batches = new ArrayList<>();
        records.batches().forEach(batches::add);
        append(records, batches);
    }

    /** As {@link #append(MemoryRecords)}, with the batches of {@code records} already parsed, in order. */
    void append(MemoryRecords records, List<? extends RecordBatch> batches) throws IOException {
        int position = log.sizeInBytes();
        log.append(records);
        for (RecordBatch batch : batches) {
            observeBatch(batch, position);
            position += batch.sizeInBytes();
        }
    }

    /** Index bookkeeping for one batch written at {@code position}. */
    private void observeBatch(RecordBatch batch, int position) {
        long batchMaxTimestamp = batch.maxTimestamp();
        if (rollingBasedTimestamp == RecordBatch.NO_TIMESTAMP && batchMaxTimestamp >= 0) {
            rollingBasedTimestamp = batchMaxTimestamp;
        }
        if (batchMaxTimestamp > maxTimestampSoFar) {
            offsetOfMaxTimestampSoFar = batch.lastOffset();
            maxTimestampSoFar = batchMaxTimestamp;
        }
        if (bytesSinceLastIndexEntry > indexIntervalBytes) {
            offsetIndex.append(batch.lastOffset(), position);
            timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar, false);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += batch.sizeInBytes();
    }

    /**
     * Where the first batch holding an offset at or above {@code offset} starts, searching from
     * {@code startingPosition}; null when no batch in this segment (up to {@code endPosition}) has one.
     */
    LogOffsetPosition translateOffset(long offset, int endPosition) {
        OffsetIndex.Entry entry = offsetIndex.lookup(offset);
        int from = Math.min(entry.position(), endPosition);
        LogOffsetPosition found = log.searchForOffsetFromPosition(offset, from);
        if (found == null || found.position >= endPosition) {
            return null;
        }
        return found;
    }

    /**
     * Whole batches from the one holding {@code startOffset}, up to {@code maxBytes} (or the whole
     * first batch if {@code minOneMessage}) and below {@code endPosition}.
     *
     * @return null if no batch of this segment holds {@code startOffset} or a later offset
     */
    FetchDataInfo read(long startOffset, int maxBytes, int endPosition, boolean minOneMessage) {
        LogOffsetPosition start = translateOffset(startOffset, endPosition);
        if (start == null) {
            return null;
        }
        int firstBatchSize = start.size;
        int limit = minOneMessage ? Math.max(maxBytes, firstBatchSize) : maxBytes;
        if (firstBatchSize > limit) {
            return new FetchDataInfo(startOffset, MemoryRecords.EMPTY, true);
        }
        int end = endPosition;
        if ((long) end - start.position > limit) {
            end = lastBatchBoundaryAtOrBelow(start.position, start.position + limit);
        }
        return new FetchDataInfo(startOffset, log.slice(start.position, end - start.position), false);
    }

    /** The largest batch boundary in [from, limit], starting the scan at the closest index entry. */
    private int lastBatchBoundaryAtOrBelow(int from, int limit) {
        int position = Math.max(from, offsetIndex.positionAtOrBelow(limit));
        Iterator<FileChannelRecordBatch> it = log.batchesFrom(position).iterator();
        while (it.hasNext()) {
            FileChannelRecordBatch batch = it.next();
            int next = batch.position() + batch.sizeInBytes();
            if (next > limit) {
                break;
            }
            position = next;
        }
        return position;
    }

    /**
     * Scans the whole segment after an unclean stop: checks every batch (structure, CRC, offsets
     * increasing, magic 2), rebuilds both indexes, and truncates at the first bad or partial batch.
     *
     * @param visitor sees each valid batch in order (producer state, leader epochs)
     * @return the number of bytes truncated
     */
    int recover(long minNextOffset, java.util.function.Consumer<RecordBatch> visitor) throws IOException {
        offsetIndex.reset();
        timeIndex.reset();
        prepareForAppends();
        bytesSinceLastIndexEntry = 0;
        maxTimestampSoFar = RecordBatch.NO_TIMESTAMP;
        offsetOfMaxTimestampSoFar = baseOffset;
        rollingBasedTimestamp = RecordBatch.NO_TIMESTAMP;
        int validBytes = 0;
        long nextOffset = Math.max(minNextOffset, baseOffset);
        Iterator<FileChannelRecordBatch> it = log.batchesFrom(0).iterator();
        try {
            while (it.hasNext()) {
                FileChannelRecordBatch batch = it.next();
                if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
                    throw new CorruptRecordException("magic " + batch.magic() + " at position " + validBytes);
                }
                batch.ensureValid();
                if (batch.baseOffset() < nextOffset || batch.lastOffset() < batch.baseOffset()
                    || batch.lastOffset() - baseOffset > Integer.MAX_VALUE) {
                    throw new CorruptRecordException("offsets [" + batch.baseOffset() + ", " + batch.lastOffset()
                        + "] do not follow " + (nextOffset - 1) + " at position " + validBytes);
                }
                observeBatch(batch, validBytes);
                visitor.accept(batch);
                validBytes += batch.sizeInBytes();
                nextOffset = batch.nextOffset();
            }
        } catch (CorruptRecordException | org.apache.kafka.common.InvalidRecordException e) {
            LOG.warn("{}: invalid batch at position {}, after offset {} ({}); truncating there", log.file(),
                validBytes, nextOffset - 1, e.getMessage());
        }
        int truncated = log.sizeInBytes() - validBytes;
        log.truncateTo(validBytes);
        return truncated;
    }

    /** The offset after the last batch of this segment (base offset when empty). */
    long readNextOffset() {
        OffsetIndex.Entry last = offsetIndex.lastEntry();
        long next = baseOffset;
        for (FileChannelRecordBatch batch : log.batchesFrom(last.position())) {
            next = batch.nextOffset();
        }
        return next;
    }

    /** Loads the max timestamp and the index bookkeeping of a segment opened without recovery. */
    void loadFromIndexes() {
        reloadMaxTimestamp();
        rollingBasedTimestamp = NO_ROLLING_TIMESTAMP_LOADED;
        bytesSinceLastIndexEntry = Math.max(0, log.sizeInBytes() - offsetIndex.lastEntry().position());
    }

    private static final long NO_ROLLING_TIMESTAMP_LOADED = -2;

    /** The first batch's max timestamp, read lazily for a segment opened from disk. */
    private long rollingBasedTimestamp() {
        if (rollingBasedTimestamp == NO_ROLLING_TIMESTAMP_LOADED) {
            rollingBasedTimestamp = RecordBatch.NO_TIMESTAMP;
            Iterator<FileChannelRecordBatch> it = log.batches().iterator();
            if (it.hasNext()) {
                rollingBasedTimestamp = it.next().maxTimestamp();
            }
        }
        return rollingBasedTimestamp;
    }

    /**
     * Kafka's roll rule: the append would overflow {@code segment.bytes}; or the segment is older
     * than {@code segment.ms} (minus jitter) by record time (by wall time if it has none); or an
     * index is full; or the offsets would not fit 32-bit relative offsets.
     */
    boolean shouldRoll(LogConfig config, int appendBytes, long appendMaxTimestamp, long appendLastOffset, long nowMs) {
        int size = size();
        long first = rollingBasedTimestamp();
        long waitedMs = first >= 0 ? appendMaxTimestamp - first : nowMs - createdMs;
        boolean reachedRollMs = waitedMs > config.segmentMs() - rollJitterMs;
        return size > config.segmentBytes() - appendBytes
            || (size > 0 && reachedRollMs)
            || offsetIndex.isFull() || timeIndex.isFull()
            || appendLastOffset - baseOffset > Integer.MAX_VALUE;
    }

    /** On roll: records the final max timestamp in the time index and trims the files. */
    void onBecomeInactive() throws IOException {
        if (maxTimestampSoFar >= 0) {
            timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar, true);
        }
        offsetIndex.trimToValidSize();
        timeIndex.trimToValidSize();
        log.trim();
    }

    /** Grows the indexes back to full size so the segment can take appends (the active segment on open). */
    void prepareForAppends() throws IOException {
        offsetIndex.resizeToMax();
        timeIndex.resizeToMax();
    }

    /**
     * Drops every batch at or above {@code offset}.
     *
     * @return the bytes removed
     */
    int truncateTo(long offset) throws IOException {
        LogOffsetPosition at = translateOffset(offset, Integer.MAX_VALUE);
        if (at == null) {
            return 0;
        }
        offsetIndex.truncateTo(offset);
        timeIndex.truncateTo(offset);
        int before = log.sizeInBytes();
        log.truncateTo(at.position);
        bytesSinceLastIndexEntry = 0;
        rollingBasedTimestamp = NO_ROLLING_TIMESTAMP_LOADED;
        reloadMaxTimestamp();
        return before - log.sizeInBytes();
    }

    /** Max timestamp from the time index's last entry, then a scan of the batches after it. */
    private void reloadMaxTimestamp() {
        TimeIndex.Entry lastTime = timeIndex.lastEntry();
        long max = lastTime.timestamp() >= 0 ? lastTime.timestamp() : RecordBatch.NO_TIMESTAMP;
        long offsetOfMax = lastTime.timestamp() >= 0 ? lastTime.offset() : baseOffset;
        int scanFrom = offsetIndex.lookup(offsetOfMax).position();
        for (FileChannelRecordBatch batch : log.batchesFrom(scanFrom)) {
            if (batch.maxTimestamp() > max) {
                max = batch.maxTimestamp();
                offsetOfMax = batch.lastOffset();
            }
        }
        maxTimestampSoFar = max;
        offsetOfMaxTimestampSoFar = offsetOfMax;
    }

    /**
     * The first record at or after {@code timestamp} with an offset at or above {@code startingOffset}.
     */
    Optional<TimestampAndOffset> findOffsetByTimestamp(long timestamp, long startingOffset) {
        TimeIndex.Entry before = timeIndex.lookupBefore(timestamp);
        long fromOffset = Math.max(before.offset(), startingOffset);
        int position = offsetIndex.lookup(fromOffset).position();
        return Optional.ofNullable(log.searchForTimestamp(timestamp, position, startingOffset, Integer.MAX_VALUE));
    }

    /** Largest timestamp for retention: the records' own, or the file's mtime if none has one. */
    long largestTimestamp() {
        long max = maxTimestampSoFar;
        return max >= 0 ? max : lastModifiedMs();
    }

    long lastModifiedMs() {
        return log.file().lastModified();
    }

    void setLastModified(long ms) throws IOException {
        Files.setLastModifiedTime(log.file().toPath(), FileTime.fromMillis(ms));
    }

    void flush() throws IOException {
        log.flush();
        offsetIndex.flush();
        timeIndex.flush();
    }

    /** Renames all three files from one suffix to another ("" for live files). */
    void changeFileSuffixes(String oldSuffix, String newSuffix) throws IOException {
        log.renameTo(withSuffix(log.file(), oldSuffix, newSuffix));
        offsetIndex.renameTo(withSuffix(offsetIndex.file(), oldSuffix, newSuffix));
        timeIndex.renameTo(withSuffix(timeIndex.file(), oldSuffix, newSuffix));
    }

    private static File withSuffix(File file, String oldSuffix, String newSuffix) {
        String path = file.getPath();
        return new File(path.substring(0, path.length() - oldSuffix.length()) + newSuffix);
    }


    /** Closes the files and deletes them. */
    void deleteIfExists() throws IOException {
        close();
        Files.deleteIfExists(log.file().toPath());
        offsetIndex.deleteIfExists();
        timeIndex.deleteIfExists();
    }

    @Override
    public void close() throws IOException {
        log.close();
        offsetIndex.close();
        timeIndex.close();
    }

    @Override
    public String toString() {
        return "LogSegment(" + log.file() + ", " + size() + " bytes)";
    }
}
