package io.millrace.engine.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.FileRecords.LogOffsetPosition;
import org.apache.kafka.common.record.internal.FileRecords.TimestampAndOffset;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of one partition: a directory of segments, as Kafka's {@code UnifiedLog}.
 *
 * <p>Threading: one writer at a time calls the mutating methods ({@code append*},
 * {@code truncate*}, {@link #updateHighWatermark}, {@link #deleteRecordsBefore}, {@link #roll},
 * {@link #updateConfig}); {@link #read}, the offset getters and {@link #fetchOffsetByTimestamp}
 * are safe from any thread at the same time. The end of the log is published through a
 * volatile snapshot after its bytes are written, so a reader never sees a partial batch, and the
 * segments live in a concurrent map. Mutations and background structure changes (retention,
 * compaction swaps, recovery-point moves) serialise on one lock; fsync and file deletion run on
 * the {@link LogScheduler}'s threads, never the caller's.
 *
 * <p>Failures: invalid appends throw kafka-clients' exceptions (see {@link AppendValidator}) and
 * change nothing; IO failures throw {@link KafkaStorageException}.
 */
public final class PartitionLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionLog.class);

    /** Where the log ends: the next offset, and the byte position after the last batch. */
    private record LogEnd(long offset, LogSegment segment, int position) {}

    private final TopicPartition tp;
    private final Path dir;
    private final Time time;
    private final LogScheduler scheduler;
    private final Object lock = new Object();
    private final ConcurrentNavigableMap<Long, LogSegment> segments;
    private final LeaderEpochCache leaderEpochs;
    private final ProducerStateTable producerState;
    private final AppendValidator validator;
    private volatile LogConfig config;
    private volatile LogEnd end;
    private volatile long logStartOffset;
    private volatile long highWatermark;
    private volatile long recoveryPoint;
    /**
     * Bumped by every truncation, so that work that raced one (a flush moving the recovery
     * point, a compaction swapping segments) can tell and give up.
     */
    private volatile long truncations;
    /** Told the offset of every truncation, under the lock (the cleaner's checkpoint). */
    private volatile LongConsumer truncationListener = offset -> { };
    private long unflushedMessages;
    private volatile long lastFlushMs;
    private volatile boolean closed;

    private PartitionLog(TopicPartition tp, Path dir, LogConfig config, Time time, LogScheduler scheduler,
                         LogLoader.Loaded loaded) {
        this.tp = tp;
        this.dir = dir;
        this.config = config;
        this.time = time;
        this.scheduler = scheduler;
        this.segments = loaded.segments();
        this.leaderEpochs = loaded.leaderEpochs();
        this.producerState = loaded.producerState();
        this.validator = new AppendValidator(tp);
        this.logStartOffset = loaded.logStartOffset();
        this.recoveryPoint = loaded.recoveryPoint();
        this.highWatermark = loaded.logStartOffset();
        LogSegment active = segments.lastEntry().getValue();
        this.end = new LogEnd(loaded.logEndOffset(), active, active.size());
        this.lastFlushMs = time.milliseconds();
        this.leaderEpochs.logEndOffsetSupplier(this::logEndOffset);
    }

    /**
     * Opens (or creates) the log in {@code dir}, recovering it if the last stop was unclean.
     *
     * @param recoveryPoint offset below which the data is known to be on disk (from the checkpoint)
     * @param logStartOffset the checkpointed log start offset, or 0
     * @param hadCleanShutdown the directory's clean-shutdown marker was present: skip the scan
     */
    static PartitionLog open(TopicPartition tp, Path dir, LogConfig config, Time time, LogScheduler scheduler,
                             long recoveryPoint, long logStartOffset, boolean hadCleanShutdown,
                             long producerIdExpirationMs) throws IOException {
        LogLoader.Loaded loaded = new LogLoader(tp, dir, config, time, producerIdExpirationMs)
            .load(recoveryPoint, logStartOffset, hadCleanShutdown);
        return new PartitionLog(tp, dir, config, time, scheduler, loaded);
    }

    /** The directory name of a partition: {@code <topic>-<partition>}. */
    public static String dirName(TopicPartition tp) {
        return tp.topic() + "-" + tp.partition();
    }

    /** Parses {@code <topic>-<partition>} (the topic may contain dashes). */
    public static TopicPartition parseDirName(String name) {
        int dash = name.lastIndexOf('-');
        if (dash <= 0 || dash == name.length() - 1) {
            throw new IllegalArgumentException("not a partition directory: " + name);
        }
        return new TopicPartition(name.substring(0, dash), Integer.parseInt(name.substring(dash + 1)));
    }

    // ---------------------------------------------------------------- appends

    /**
     * Appends a producer's batches as the leader: validates them, assigns offsets from the log
     * end, stamps the leader epoch (and the time, under LogAppendTime), checks idempotent
     * producers' sequences. All or nothing.
     */
    public LogAppendInfo appendAsLeader(MemoryRecords records, int leaderEpoch) {
        synchronized (lock) {
            ensureOpen();
            LogConfig cfg = config;
            long now = time.milliseconds();
            List<MutableRecordBatch> batches = validator.checkStructure(records, cfg, true);
            if (batches.isEmpty()) {
                return emptyAppend();
            }
            List<AppendValidator.CheckedBatch> checked = new ArrayList<>(batches.size());
            ByteBuffer buffer = records.buffer();
            int position = buffer.position();
            for (MutableRecordBatch batch : batches) {
                checked.add(validator.checkRecords(buffer, position, batch, cfg, now));
                position += batch.sizeInBytes();
            }
            Optional<ProducerStateTable.BatchMetadata> duplicate = producerState.checkLeaderAppend(batches, tp);
            if (duplicate.isPresent()) {
                ProducerStateTable.BatchMetadata d = duplicate.get();
                return new LogAppendInfo(d.firstOffset(), d.lastOffset(), d.timestamp(), d.lastOffset(), -1L,
                    logStartOffset, 0, 0, true);
            }
            long firstOffset = end.offset();
            OffsetAssigner.Assigned assigned = OffsetAssigner.assign(tp, records, checked, firstOffset, leaderEpoch,
                cfg, now);
            leaderEpochs.assign(leaderEpoch, firstOffset);
            MemoryRecords written = assigned.records();
            write(written, written == records ? batches : batchesOf(written), assigned.lastOffset(),
                assigned.maxTimestamp());
            boolean logAppendTime = cfg.messageTimestampType() == TimestampType.LOG_APPEND_TIME;
            return new LogAppendInfo(firstOffset, assigned.lastOffset(), assigned.maxTimestamp(),
                assigned.offsetOfMaxTimestamp(), logAppendTime ? now : -1L, logStartOffset, assigned.numRecords(),
                written.sizeInBytes(), false);
        }
    }

    private static List<MutableRecordBatch> batchesOf(MemoryRecords records) {
        List<MutableRecordBatch> out = new ArrayList<>();
        records.batchIterator().forEachRemaining(out::add);
        return out;
    }

    private LogAppendInfo emptyAppend() {
        long leo = end.offset();
        return new LogAppendInfo(leo, leo - 1, RecordBatch.NO_TIMESTAMP, -1L, -1L, logStartOffset, 0, 0, false);
    }

    /**
     * Appends batches replicated from the leader: offsets and epochs kept as given, checked for
     * structure, CRC and increasing offsets at or after the log end. Producer state and leader
     * epochs follow the batches without rejecting anything.
     */
    public LogAppendInfo appendAsFollower(MemoryRecords records) {
        synchronized (lock) {
            ensureOpen();
            LogConfig cfg = config;
            List<MutableRecordBatch> batches = validator.checkStructure(records, cfg, false);
            if (batches.isEmpty()) {
                return emptyAppend();
            }
            long expected = end.offset();
            long maxTimestamp = RecordBatch.NO_TIMESTAMP;
            long offsetOfMax = -1;
            int numRecords = 0;
            for (MutableRecordBatch batch : batches) {
                if (batch.baseOffset() < expected) {
                    throw new InvalidRecordException("Replicated batch at offset " + batch.baseOffset() + " for " + tp
                        + " does not follow offset " + (expected - 1));
                }
                if (batch.maxTimestamp() > maxTimestamp) {
                    maxTimestamp = batch.maxTimestamp();
                    offsetOfMax = batch.lastOffset();
                }
                expected = batch.nextOffset();
                numRecords += (int) (batch.lastOffset() - batch.baseOffset() + 1);
            }
            for (MutableRecordBatch batch : batches) {
                if (batch.partitionLeaderEpoch() >= 0) {
                    leaderEpochs.assign(batch.partitionLeaderEpoch(), batch.baseOffset());
                }
            }
            long first = batches.get(0).baseOffset();
            write(records, batches, expected - 1, maxTimestamp);
            return new LogAppendInfo(first, expected - 1, maxTimestamp, offsetOfMax, -1L, logStartOffset,
                numRecords, records.sizeInBytes(), false);
        }
    }

    /** Writes validated batches with final offsets: roll if needed, append, publish the new end. */
    private void write(MemoryRecords records, List<? extends RecordBatch> batches, long lastOffset,
                       long maxTimestamp) {
        try {
            LogSegment segment = maybeRoll(records.sizeInBytes(), maxTimestamp, lastOffset);
            segment.append(records, batches);
            for (RecordBatch batch : batches) {
                producerState.update(batch);
            }
            end = new LogEnd(lastOffset + 1, segment, segment.size());
            unflushedMessages += lastOffset + 1 - batches.get(0).baseOffset();
            if (unflushedMessages >= config.flushMessages()) {
                unflushedMessages = 0;
                long upTo = lastOffset + 1;
                scheduler.schedule("flush-" + tp, () -> flushUpTo(upTo), 0);
            }
        } catch (IOException e) {
            throw storageError("append to", e);
        }
    }

    private LogSegment maybeRoll(int appendBytes, long maxTimestamp, long lastOffset) throws IOException {
        LogSegment active = end.segment();
        if (active.shouldRoll(config, appendBytes, maxTimestamp, lastOffset, time.milliseconds())) {
            return rollLocked();
        }
        return active;
    }

    /** Starts a new segment at the log end offset, even if the active one has room. */
    public void roll() {
        synchronized (lock) {
            ensureOpen();
            try {
                rollLocked();
            } catch (IOException e) {
                throw storageError("roll", e);
            }
        }
    }

    private LogSegment rollLocked() throws IOException {
        LogEnd e = end;
        LogSegment active = e.segment();
        if (active.size() == 0 && active.baseOffset() == e.offset()) {
            return active;
        }
        long newBase = e.offset();
        LogSegment existing = segments.get(newBase);
        if (existing != null) {
            throw new KafkaStorageException("cannot roll " + tp + ": a segment at " + newBase + " exists already");
        }
        active.onBecomeInactive();
        LogSegment next = LogSegment.open(dir, newBase, config, time, "", true);
        segments.put(newBase, next);
        end = new LogEnd(newBase, next, 0);
        producerState.updateMapEndOffset(newBase);
        producerState.takeSnapshot();
        scheduler.schedule("flush-" + tp, () -> flushUpTo(newBase), 0);
        LOG.debug("Rolled {} at offset {}", tp, newBase);
        return next;
    }

    // ---------------------------------------------------------------- reads

    /**
     * Whole batches from the one holding {@code startOffset} on, at most {@code maxBytes} of them
     * (or the first batch whole if {@code minOneMessage}), below {@code maxOffsetExclusive}
     * (the high watermark for consumers, the log end for followers).
     *
     * @throws OffsetOutOfRangeException {@code startOffset} is below the log start or above the log end
     */
    public FetchDataInfo read(long startOffset, int maxBytes, long maxOffsetExclusive, boolean minOneMessage) {
        LogEnd e = end;
        long start = logStartOffset;
        if (startOffset < start || startOffset > e.offset()) {
            throw new OffsetOutOfRangeException("Offset " + startOffset + " is out of range for " + tp
                + ": log start offset " + start + ", log end offset " + e.offset(), Map.of(tp, startOffset));
        }
        long limitOffset = Math.min(maxOffsetExclusive, e.offset());
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
        int end = segment == e.segment() ? e.position() : segment.size();
        if (limitOffset < e.offset()) {
            LogOffsetPosition at = segment.translateOffset(limitOffset, end);
            if (at != null) {
                end = at.position;
            }
        }
        return end;
    }

    /**
     * ListOffsets: {@link ListOffsetsRequest#EARLIEST_TIMESTAMP} (-2, the log start),
     * {@link ListOffsetsRequest#LATEST_TIMESTAMP} (-1, the log end),
     * {@link ListOffsetsRequest#MAX_TIMESTAMP} (-3, the record with the largest timestamp),
     * {@link ListOffsetsRequest#EARLIEST_LOCAL_TIMESTAMP} (-4, as -2), or a time: the first record
     * whose timestamp is at or after it. Empty if there is none.
     */
    public Optional<TimestampAndOffset> fetchOffsetByTimestamp(long timestamp) {
        long start = logStartOffset;
        LogEnd e = end;
        if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP || timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP) {
            return Optional.of(new TimestampAndOffset(RecordBatch.NO_TIMESTAMP, start, epochAt(start)));
        }
        if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP) {
            Optional<Integer> epoch = leaderEpochs.latestEpoch().isPresent()
                ? Optional.of(leaderEpochs.latestEpoch().getAsInt()) : Optional.empty();
            return Optional.of(new TimestampAndOffset(RecordBatch.NO_TIMESTAMP, e.offset(), epoch));
        }
        if (timestamp == ListOffsetsRequest.MAX_TIMESTAMP) {
            return maxTimestampAndOffset();
        }
        if (timestamp < 0) {
            throw new IllegalArgumentException("unsupported ListOffsets timestamp " + timestamp + " for " + tp);
        }
        for (LogSegment segment : segments.values()) {
            if (segment.maxTimestampSoFar() >= timestamp && segment.baseOffset() < e.offset()) {
                Optional<TimestampAndOffset> found = segment.findOffsetByTimestamp(timestamp, start);
                if (found.isPresent() && found.get().offset < e.offset()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<TimestampAndOffset> maxTimestampAndOffset() {
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

    private Optional<Integer> epochAt(long offset) {
        var epoch = leaderEpochs.epochForOffset(offset);
        return epoch.isPresent() ? Optional.of(epoch.getAsInt()) : Optional.empty();
    }

    // ---------------------------------------------------------------- offsets

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return end.offset();
    }

    public long highWatermark() {
        return highWatermark;
    }

    /** Sets the high watermark, clamped to [log start offset, log end offset]. */
    public void updateHighWatermark(long offset) {
        synchronized (lock) {
            highWatermark = Math.max(logStartOffset, Math.min(offset, end.offset()));
        }
    }

    /** Offset below which every byte has been fsynced. */
    public long recoveryPoint() {
        return recoveryPoint;
    }

    /**
     * Raises the log start offset (DeleteRecords); whole segments below it go at the next
     * retention pass.
     *
     * @return the log start offset afterwards
     * @throws OffsetOutOfRangeException {@code offset} is above the high watermark
     */
    public long deleteRecordsBefore(long offset) {
        synchronized (lock) {
            ensureOpen();
            if (offset > highWatermark) {
                throw new OffsetOutOfRangeException("Cannot delete records of " + tp + " before offset " + offset
                    + ": it is above the high watermark " + highWatermark, Map.of(tp, offset));
            }
            if (offset > logStartOffset) {
                logStartOffset = offset;
                leaderEpochs.truncateFromStart(offset);
            }
            return logStartOffset;
        }
    }

    // ---------------------------------------------------------------- truncation

    /**
     * Removes every record at or above {@code offset} (a follower's divergent tail). No-op if
     * {@code offset} is at or beyond the log end.
     */
    public void truncateTo(long offset) {
        synchronized (lock) {
            ensureOpen();
            if (offset < 0) {
                throw new IllegalArgumentException("cannot truncate " + tp + " to negative offset " + offset);
            }
            if (offset >= end.offset()) {
                return;
            }
            if (offset < logStartOffset) {
                truncateFullyAndStartAt(offset);
                return;
            }
            truncations++;
            try {
                removeAndScheduleDeletion(new ArrayList<>(segments.tailMap(offset, false).values()));
                LogSegment last = segments.lastEntry().getValue();
                last.truncateTo(offset);
                last.prepareForAppends();
                end = new LogEnd(offset, last, last.size());
                highWatermark = Math.min(highWatermark, offset);
                recoveryPoint = Math.min(recoveryPoint, offset);
                leaderEpochs.truncateFromEnd(offset);
                producerState.deleteSnapshotsAbove(offset);
                LogLoader.rebuildProducerState(producerState, segments, offset);
                truncationListener.accept(offset);
                LOG.info("Truncated {} to offset {}", tp, offset);
            } catch (IOException e) {
                throw storageError("truncate", e);
            }
        }
    }

    /** Deletes every segment and starts empty at {@code newOffset} (all offsets move there). */
    public void truncateFullyAndStartAt(long newOffset) {
        synchronized (lock) {
            ensureOpen();
            if (newOffset < 0) {
                throw new IllegalArgumentException("cannot start " + tp + " at negative offset " + newOffset);
            }
            truncations++;
            try {
                removeAndScheduleDeletion(new ArrayList<>(segments.values()));
                LogSegment fresh = LogSegment.open(dir, newOffset, config, time, "", true);
                segments.put(newOffset, fresh);
                end = new LogEnd(newOffset, fresh, 0);
                logStartOffset = newOffset;
                highWatermark = newOffset;
                recoveryPoint = newOffset;
                leaderEpochs.clear();
                producerState.clear(newOffset);
                truncationListener.accept(newOffset);
                LOG.info("Truncated {} fully; it starts again at offset {}", tp, newOffset);
            } catch (IOException e) {
                throw storageError("truncate", e);
            }
        }
    }

    // ---------------------------------------------------------------- flush

    /** Fsyncs everything up to the log end and moves the recovery point there. Blocking. */
    public void flush() {
        flushUpTo(end.offset());
    }

    /** Fsyncs the segments holding offsets below {@code offset}, then raises the recovery point. */
    void flushUpTo(long offset) {
        long from = recoveryPoint;
        if (offset <= from || closed) {
            return;
        }
        long truncationsBefore = truncations;
        Long firstBase = segments.floorKey(from);
        Collection<LogSegment> toFlush = segments.subMap(firstBase == null ? Long.MIN_VALUE : firstBase, true,
            offset, false).values();
        try {
            for (LogSegment segment : toFlush) {
                segment.flush();
            }
            CheckpointFile.fsyncDirectory(dir);
        } catch (IOException e) {
            if (closed || truncations != truncationsBefore) {
                return;
            }
            throw storageError("flush", e);
        }
        synchronized (lock) {
            if (truncations == truncationsBefore && offset > recoveryPoint && offset <= end.offset()) {
                recoveryPoint = offset;
            }
            lastFlushMs = time.milliseconds();
        }
    }

    /** {@code flush.ms}: flushes in the caller's (background) thread if the last flush is that old. */
    void maybeFlushByTime(long nowMs) {
        if (nowMs - lastFlushMs >= config.flushMs() && recoveryPoint < end.offset()) {
            flush();
        }
    }

    // ---------------------------------------------------------------- retention

    /**
     * Deletes whole inactive segments that retention allows: below the log start offset, older
     * than {@code retention.ms} by their largest timestamp, or beyond {@code retention.bytes};
     * never above the high watermark. If every segment qualifies the log rolls first, so the
     * active segment itself is never deleted. Files are renamed {@code .deleted} at once and
     * removed after {@code file.delete.delay.ms} in the background.
     *
     * @return the number of segments deleted
     */
    public int deleteOldSegments() {
        synchronized (lock) {
            if (closed) {
                return 0;
            }
            LogConfig cfg = config;
            long now = time.milliseconds();
            int deleted = deleteSegmentsWhile((segment, next) -> next != null && next <= logStartOffset, "log start offset");
            if (cfg.delete()) {
                if (cfg.retentionMs() >= 0) {
                    deleted += deleteSegmentsWhile(
                        (segment, next) -> now - segment.largestTimestamp() > cfg.retentionMs(), "retention.ms");
                }
                if (cfg.retentionBytes() >= 0) {
                    long[] excess = {sizeInBytes() - cfg.retentionBytes()};
                    deleted += deleteSegmentsWhile((segment, next) -> {
                        if (excess[0] - segment.size() >= 0) {
                            excess[0] -= segment.size();
                            return true;
                        }
                        return false;
                    }, "retention.bytes");
                }
            }
            return deleted;
        }
    }

    private interface SegmentPredicate {
        boolean test(LogSegment segment, Long nextBaseOffset);
    }

    private int deleteSegmentsWhile(SegmentPredicate predicate, String reason) {
        List<LogSegment> deletable = new ArrayList<>();
        LogEnd e = end;
        for (Map.Entry<Long, LogSegment> entry : segments.entrySet()) {
            LogSegment segment = entry.getValue();
            Long next = segments.higherKey(entry.getKey());
            long upperBound = next != null ? next : e.offset();
            boolean lastAndEmpty = next == null && segment.size() == 0;
            if (highWatermark >= upperBound && !lastAndEmpty && predicate.test(segment, next)) {
                deletable.add(segment);
            } else {
                break;
            }
        }
        if (deletable.isEmpty()) {
            return 0;
        }
        try {
            if (deletable.size() == segments.size()) {
                rollLocked();
            }
            removeAndScheduleDeletion(deletable);
            long newStart = segments.firstKey();
            if (newStart > logStartOffset) {
                logStartOffset = newStart;
                leaderEpochs.truncateFromStart(newStart);
            }
            highWatermark = Math.max(highWatermark, logStartOffset);
            producerState.deleteSnapshotsBefore(segments.firstKey());
            LOG.info("Deleted {} segment(s) of {} by {}; log start offset {}", deletable.size(), tp, reason,
                logStartOffset);
        } catch (IOException ex) {
            throw storageError("delete segments of", ex);
        }
        return deletable.size();
    }

    /**
     * Takes segments out of the log at once, renaming their files {@code .deleted} (a restart
     * finishes the job), and leaves the removal of the files to the background, so neither the
     * caller nor a reader still holding one of them waits on the file system.
     */
    private void removeAndScheduleDeletion(List<LogSegment> removed) throws IOException {
        for (LogSegment segment : removed) {
            segments.remove(segment.baseOffset());
            segment.changeFileSuffixes("", LogSegment.DELETED_SUFFIX);
            scheduleDeletion(segment);
        }
    }

    /** Removes a segment's (renamed) files after {@code file.delete.delay.ms}, in the background. */
    void scheduleDeletion(LogSegment segment) {
        scheduler.schedule("delete-" + segment, () -> {
            try {
                segment.deleteIfExists();
            } catch (IOException e) {
                LOG.warn("Cannot delete {}: {}", segment, e.toString());
            }
        }, config.fileDeleteDelayMs());
    }

    // ---------------------------------------------------------------- compaction support

    /** The lock that serialises structure changes; the cleaner takes it for its swap. */
    Object lock() {
        return lock;
    }

    ConcurrentNavigableMap<Long, LogSegment> segmentMap() {
        return segments;
    }

    /** Segments that are neither active nor above the high watermark, oldest first. */
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

    Time time() {
        return time;
    }

    /** How many truncations the log has seen; see {@link #truncations}. */
    long truncationCount() {
        return truncations;
    }

    boolean isActive(LogSegment segment) {
        return end.segment() == segment;
    }

    /** Sets who hears of truncations (the log manager, for the cleaner's checkpoint). */
    void onTruncation(LongConsumer listener) {
        this.truncationListener = listener;
    }

    // ---------------------------------------------------------------- the rest

    public LeaderEpochCache leaderEpochs() {
        return leaderEpochs;
    }

    public ProducerStateTable producerState() {
        return producerState;
    }

    /** Applies a new config at once: segment size, retention, cleanup policy, message size... */
    public void updateConfig(LogConfig newConfig) {
        synchronized (lock) {
            this.config = newConfig;
        }
    }

    public LogConfig config() {
        return config;
    }

    public TopicPartition topicPartition() {
        return tp;
    }

    public Path dir() {
        return dir;
    }

    public long sizeInBytes() {
        long total = 0;
        for (LogSegment segment : segments.values()) {
            total += segment.size();
        }
        return total;
    }

    public int numberOfSegments() {
        return segments.size();
    }

    /** Forgets producers idle for longer than {@code producer.id.expiration.ms}. */
    void removeExpiredProducers() {
        synchronized (lock) {
            producerState.removeExpiredProducers(time.milliseconds());
        }
    }

    /**
     * Clean close: fsyncs, snapshots the producer state at the log end, writes the final
     * time-index entry and trims the indexes of the active segment.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            try {
                flushUpToLocked();
                producerState.updateMapEndOffset(end.offset());
                producerState.takeSnapshot();
                end.segment().onBecomeInactive();
                for (LogSegment segment : segments.values()) {
                    segment.close();
                }
            } catch (IOException e) {
                throw storageError("close", e);
            } finally {
                closed = true;
            }
        }
    }

    private void flushUpToLocked() throws IOException {
        for (LogSegment segment : segments.values()) {
            segment.flush();
        }
        CheckpointFile.fsyncDirectory(dir);
        recoveryPoint = end.offset();
    }

    /** Closes the files without the clean-shutdown work (the directory is being deleted). */
    void closeForDeletion() {
        synchronized (lock) {
            closed = true;
            for (LogSegment segment : segments.values()) {
                try {
                    segment.close();
                } catch (IOException e) {
                    LOG.warn("Cannot close {}: {}", segment, e.toString());
                }
            }
        }
    }

    boolean isClosed() {
        return closed;
    }

    private void ensureOpen() {
        if (closed) {
            throw new KafkaStorageException("The log of " + tp + " is closed");
        }
    }

    private KafkaStorageException storageError(String what, IOException e) {
        LOG.error("IO error on {} of {} in {}", what, tp, dir, e);
        return new KafkaStorageException("IO error on " + what + " " + tp + ": " + e.getMessage(), e);
    }

    @Override
    public String toString() {
        return "PartitionLog(" + tp + ", start " + logStartOffset + ", end " + end.offset() + ", hw " + highWatermark
            + ", " + segments.size() + " segments)";
    }

    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
