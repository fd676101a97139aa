package io.millrace.engine.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentNavigableMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.record.internal.FileRecords.LogOffsetPosition;
import org.apache.kafka.common.record.internal.FileRecords.TimestampAndOffset;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segments of one partition and where they end, as Kafka's {@code LocalLog}: appends of
 * batches whose offsets are final (rolling when {@code segment.bytes}, {@code segment.ms} or an
 * index calls for it), reads by offset and by timestamp, truncation, removal of whole
 * segments. It knows nothing of validation, producers, epochs or high watermarks: that is
 * {@link PartitionLog}'s part.
 *
 * <pre>
 *   segments (by base offset)              end (volatile, published after the bytes)
 *   [0] [4096] [8192] ... [active] -----&gt;  (next offset, active segment, byte position)
 * </pre>
 *
 * <p>Thread-safety: the owning {@link PartitionLog} makes every change under its lock; reads
 * ({@link #read}, {@link #findOffsetByTimestamp}, {@link #end}) run from any thread without it.
 * A reader takes {@link #end} once and never reads past it, so it sees whole batches only; the
 * segments live in a concurrent map, and a removed segment's files are renamed at once but
 * deleted later, on the {@link LogScheduler}, so a reader still holding one can finish.
 */
final class LocalLog {
    private static final Logger LOG = LoggerFactory.getLogger(LocalLog.class);

    /** Where the log ends: the next offset, and the byte position after the last batch. */
    record LogEnd(long offset, LogSegment segment, int position) {}

    /** Work the owner does when a segment rolls (the producer-state snapshot at the new base offset). */
    interface RollListener {
        void rolled(long newBaseOffset) throws IOException;
    }

    private final TopicPartition tp;
    private final Path dir;
    private final Time time;
    private final LogScheduler scheduler;
    private final ConcurrentNavigableMap<Long, LogSegment> segments;
    private volatile LogEnd end;

    LocalLog(TopicPartition tp, Path dir, Time time, LogScheduler scheduler,
             ConcurrentNavigableMap<Long, LogSegment> segments, long logEndOffset) {
        this.tp = tp;
        this.dir = dir;
        this.time = time;
        this.scheduler = scheduler;
        this.segments = segments;
        LogSegment active = segments.lastEntry().getValue();
        this.end = new LogEnd(logEndOffset, active, active.size());
    }

    LogEnd end() {
        return end;
    }

    long logEndOffset() {
        return end.offset();
    }

    ConcurrentNavigableMap<Long, LogSegment> segments() {
        return segments;
    }

    LogSegment activeSegment() {
        return end.segment();
    }

    // ---------------------------------------------------------------- writes (under the owner's lock)

    /**
     * Appends batches whose offsets are final, after rolling if the active segment cannot take
     * them, and publishes the new end once the bytes are written.
     *
     * @param batches the batches of {@code records}, parsed already, in order
     */
    void append(MemoryRecords records, List<? extends RecordBatch> batches, long lastOffset, long maxTimestamp,
                LogConfig config, RollListener onRoll) throws IOException {
        LogSegment segment = end.segment();
        if (segment.shouldRoll(config, records.sizeInBytes(), maxTimestamp, lastOffset, time.milliseconds())) {
            segment = roll(config, onRoll);
        }
        segment.append(records, batches);
        end = new LogEnd(lastOffset + 1, segment, segment.size());
    }

    /**
     * Starts a new segment at the log end offset (nothing to do if the active one is empty there):
     * the old one gets its final time-index entry and trimmed files, {@code onRoll} runs (the
     * producer snapshot), and the old one is fsynced in the background.
     *
     * @return the active segment afterwards
     */
    LogSegment roll(LogConfig config, RollListener onRoll) throws IOException {
        LogEnd e = end;
        LogSegment active = e.segment();
        if (active.size() == 0 && active.baseOffset() == e.offset()) {
            return active;
        }
        long newBase = e.offset();
        if (segments.containsKey(newBase)) {
            throw new KafkaStorageException("Cannot roll " + tp + " in " + dir + ": a segment at offset " + newBase
                + " exists already");
        }
        active.onBecomeInactive();
        LogSegment next = LogSegment.open(dir, newBase, config, time, "", true);
        segments.put(newBase, next);
        end = new LogEnd(newBase, next, 0);
        onRoll.rolled(newBase);
        LOG.debug("Rolled {} at offset {}", tp, newBase);
        return next;
    }

    /** Drops every batch at or above {@code offset}, which must be inside the log. */
    void truncateTo(long offset, long fileDeleteDelayMs) throws IOException {
        removeAndScheduleDeletion(new ArrayList<>(segments.tailMap(offset, false).values()), fileDeleteDelayMs);
        LogSegment last = segments.lastEntry().getValue();
        last.truncateTo(offset);
        last.prepareForAppends();
        end = new LogEnd(offset, last, last.size());
    }

    /** Removes every segment and starts with an empty one at {@code newOffset}. */
    void truncateFullyAndStartAt(long newOffset, LogConfig config) throws IOException {
        removeAndScheduleDeletion(new ArrayList<>(segments.values()), config.fileDeleteDelayMs());
        LogSegment fresh = LogSegment.open(dir, newOffset, config, time, "", true);
        segments.put(newOffset, fresh);
        end = new LogEnd(newOffset, fresh, 0);
    }

    /**
     * Takes segments out of the log at once, renaming their files {@code .deleted} (a restart
     * finishes the job), and leaves the removal of the files to the background, so neither the
     * caller nor a reader still holding one of them waits on the file system.
     */
    void removeAndScheduleDeletion(List<LogSegment> removed, long fileDeleteDelayMs) throws IOException {
        for (LogSegment segment : removed) {
            segments.remove(segment.baseOffset());
            segment.changeFileSuffixes("", LogSegment.DELETED_SUFFIX);
            scheduleDeletion(segment, fileDeleteDelayMs);
        }
    }

    /** Removes a segment's (renamed) files after {@code delayMs}, in the background. */
    void scheduleDeletion(LogSegment segment, long delayMs) {
        scheduler.schedule("delete-" + segment, () -> {
            try {
                segment.deleteIfExists();
            } catch (IOException e) {
                LOG.warn("Cannot delete {} of {}: {}", segment, tp, e.toString());
            }
        }, delayMs);
    }

    // ---------------------------------------------------------------- reads (any thread)

    /**
     * Whole batches from the one holding {@code startOffset} on, at most {@code maxBytes} of them
     * (or the first batch whole if {@code minOneMessage}), below {@code limitOffset}. The caller
     * checked {@code startOffset} against the log start and end.
     */
    FetchDataInfo read(long startOffset, int maxBytes, long limitOffset, boolean minOneMessage, LogEnd e) {
        if (startOffset >= limitOffset) {
            return FetchDataInfo.empty(startOffset);
        }
        Map.Entry<Long, LogSegment> entry = segments.floorEntry(startOffset);
        while (entry != null) {
            LogSegment segment = entry.getValue();
            int endPosition = endPositionFor(segment, e, limitOffset);
            FetchDataInfo info = segment.read(startOffset, maxBytes, endPosition, minOneMessage);
            if (info != null) {
                return info;
            }
            entry = segments.higherEntry(entry.getKey());
            if (entry != null && entry.getKey() >= limitOffset) {
                break;
            }
        }
        return FetchDataInfo.empty(startOffset);
    }

    /** Where reads of {@code segment} must stop: the published end, or the start of the batch holding the limit. */
    private static int endPositionFor(LogSegment segment, LogEnd e, long limitOffset) {
        int endPosition = segment == e.segment() ? e.position() : segment.size();
        if (limitOffset < e.offset()) {
            LogOffsetPosition at = segment.translateOffset(limitOffset, endPosition);
            if (at != null) {
                endPosition = at.position;
            }
        }
        return endPosition;
    }

    /** The first record at or after {@code timestamp}, at or above {@code startOffset}, below {@code e}'s end. */
    Optional<TimestampAndOffset> findOffsetByTimestamp(long timestamp, long startOffset, LogEnd e) {
        for (LogSegment segment : segments.values()) {
            if (segment.maxTimestampSoFar() >= timestamp && segment.baseOffset() < e.offset()) {
                Optional<TimestampAndOffset> found = segment.findOffsetByTimestamp(timestamp, startOffset);
                if (found.isPresent() && found.get().offset < e.offset()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /** The record with the largest timestamp (the first of them), if any record has one. */
    Optional<TimestampAndOffset> maxTimestampAndOffset() {
        LogSegment best = null;
        for (LogSegment segment : segments.values()) {
            if (best == null || segment.maxTimestampSoFar() > best.maxTimestampSoFar()) {
                best = segment;
            }
        }
        if (best == null || best.maxTimestampSoFar() < 0) {
            return Optional.empty();
        }
        long ts = best.maxTimestampSoFar();
        int position = best.offsetIndex().lookup(best.offsetOfMaxTimestampSoFar()).position();
        for (RecordBatch batch : best.log().batchesFrom(position)) {
            if (batch.maxTimestamp() == ts) {
                Optional<Long> offset = batch.offsetOfMaxTimestamp(RecordBatch.MAGIC_VALUE_V2);
                if (offset.isPresent()) {
                    int epoch = batch.partitionLeaderEpoch();
                    return Optional.of(new TimestampAndOffset(ts, offset.get(),
                        epoch >= 0 ? Optional.of(epoch) : Optional.empty()));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Inactive segments, oldest first, up to the first that holds {@code offset} or a later
     * offset (compaction stays below the high watermark).
     */
    List<LogSegment> inactiveSegmentsBelow(long offset) {
        List<LogSegment> out = new ArrayList<>();
        LogSegment active = end.segment();
        for (Map.Entry<Long, LogSegment> entry : segments.entrySet()) {
            Long next = segments.higherKey(entry.getKey());
            if (entry.getValue() == active || next == null || next > offset) {
                break;
            }
            out.add(entry.getValue());
        }
        return out;
    }

    /** The offset after {@code segment}: the next segment's base offset, or the log end. */
    long nextOffsetAfter(LogSegment segment) {
        Long next = segments.higherKey(segment.baseOffset());
        return next == null ? end.offset() : next;
    }

    long sizeInBytes() {
        long total = 0;
        for (LogSegment segment : segments.values()) {
            total += segment.size();
        }
        return total;
    }

    // ---------------------------------------------------------------- flush and close

    /** Fsyncs the segments holding offsets in [from, to), then the directory. */
    void flush(long from, long to) throws IOException {
        Long firstBase = segments.floorKey(from);
        Collection<LogSegment> toFlush = segments.subMap(firstBase == null ? Long.MIN_VALUE : firstBase, true,
            to, false).values();
        for (LogSegment segment : toFlush) {
            segment.flush();
        }
        CheckpointFile.fsyncDirectory(dir);
    }

    /** Clean close: everything fsynced, the active segment's final time-index entry, trimmed indexes. */
    void close() throws IOException {
        for (LogSegment segment : segments.values()) {
            segment.flush();
        }
        CheckpointFile.fsyncDirectory(dir);
        end.segment().onBecomeInactive();
        for (LogSegment segment : segments.values()) {
            segment.close();
        }
    }

    /** Closes the files without fsync or trimming (the log is being deleted, or the process "crashes"). */
    void closeFiles() {
        for (LogSegment segment : segments.values()) {
            try {
                segment.close();
            } catch (IOException e) {
                LOG.warn("Cannot close {} of {}: {}", segment, tp, e.toString());
            }
        }
    }
}
