package io.millrace.engine.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.apache.kafka.common.record.internal.FileRecords.TimestampAndOffset;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of one partition, as Kafka's {@code UnifiedLog}: validated appends as leader or
 * follower, reads, offsets (log start, high watermark, recovery point), truncation, flushes,
 * retention, idempotent-producer state and leader epochs, over the segments of a
 * {@link LocalLog}.
 *
 * <p>Threading: one writer at a time calls the mutating methods ({@code append*},
 * {@code truncate*}, {@link #updateHighWatermark}, {@link #deleteRecordsBefore}, {@link #roll},
 * {@link #updateConfig}); {@link #read}, the offset getters and {@link #fetchOffsetByTimestamp}
 * are safe from any thread at the same time. The end of the log is published through a
 * volatile snapshot after its bytes are written, so a reader never sees a partial batch, and the
 * segments live in a concurrent map. Mutations and background structure changes (retention,
 * compaction swaps, recovery-point moves) serialise on one lock; fsync and file deletion run on
 * the {@link LogScheduler}'s threads, except in {@link #flush()} and {@link #close()}, which the
 * broker calls from worker threads.
 *
 * <p>Failures: invalid appends throw kafka-clients' exceptions (see {@link AppendValidator}) and
 * change nothing; IO failures throw {@link KafkaStorageException} naming the partition and
 * directory.
 */
public final class PartitionLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionLog.class);

    private final TopicPartition tp;
    private final Path dir;
    private final Time time;
    private final LogScheduler scheduler;
    private final Object lock = new Object();
    private final LocalLog local;
    private final LeaderEpochCache leaderEpochs;
    private final ProducerStateTable producerState;
    private final AppendValidator validator;
    private volatile LogConfig config;
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
        this.local = new LocalLog(tp, dir, time, scheduler, loaded.segments(), loaded.logEndOffset());
        this.leaderEpochs = loaded.leaderEpochs();
        this.producerState = loaded.producerState();
        this.validator = new AppendValidator(tp);
        this.logStartOffset = loaded.logStartOffset();
        this.recoveryPoint = loaded.recoveryPoint();
        this.highWatermark = loaded.logStartOffset();
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
            long firstOffset = local.logEndOffset();
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
        long leo = local.logEndOffset();
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
            List<MutableRecordBatch> batches = validator.checkStructure(records, config, false);
            if (batches.isEmpty()) {
                return emptyAppend();
            }
            long expected = local.logEndOffset();
            long maxTimestamp = RecordBatch.NO_TIMESTAMP;
            long offsetOfMax = -1;
            for (MutableRecordBatch batch : batches) {
                if (batch.baseOffset() < expected) {
                    throw new InvalidRecordException("Replicated batch at offset " + batch.baseOffset() + " for " + tp
                        + " does not follow the log end offset " + expected + " (" + dir + ")");
                }
                if (batch.maxTimestamp() > maxTimestamp) {
                    maxTimestamp = batch.maxTimestamp();
                    offsetOfMax = batch.lastOffset();
                }
                expected = batch.nextOffset();
            }
            for (MutableRecordBatch batch : batches) {
                if (batch.partitionLeaderEpoch() >= 0) {
                    leaderEpochs.assign(batch.partitionLeaderEpoch(), batch.baseOffset());
                }
            }
            long first = batches.get(0).baseOffset();
            write(records, batches, expected - 1, maxTimestamp);
            return new LogAppendInfo(first, expected - 1, maxTimestamp, offsetOfMax, -1L, logStartOffset,
                (int) (expected - first), records.sizeInBytes(), false);
        }
    }

    /** Writes validated batches with final offsets, then follows them in producer state and the flush policy. */
    private void write(MemoryRecords records, List<? extends RecordBatch> batches, long lastOffset,
                       long maxTimestamp) {
        try {
            local.append(records, batches, lastOffset, maxTimestamp, config, this::onRoll);
        } catch (IOException e) {
            throw storageError("append to", e);
        }
        for (RecordBatch batch : batches) {
            producerState.update(batch);
        }
        unflushedMessages += lastOffset + 1 - batches.get(0).baseOffset();
        if (unflushedMessages >= config.flushMessages()) {
            unflushedMessages = 0;
            long upTo = lastOffset + 1;
            scheduler.schedule("flush-" + tp, () -> flushUpTo(upTo), 0);
        }
    }

    /** Starts a new segment at the log end offset, even if the active one has room. */
    public void roll() {
        synchronized (lock) {
            ensureOpen();
            try {
                local.roll(config, this::onRoll);
            } catch (IOException e) {
                throw storageError("roll", e);
            }
        }
    }

    /**
     * A new segment starts at {@code newBase}: snapshot the producers there, and fsync the old
     * segment and the snapshot in the background (the append that rolled does not wait on disk).
     */
    private void onRoll(long newBase) throws IOException {
        producerState.updateMapEndOffset(newBase);
        producerState.takeSnapshot(false);
        scheduler.schedule("flush-" + tp, () -> {
            flushUpTo(newBase);
            try {
                producerState.fsyncSnapshot(newBase);
            } catch (IOException e) {
                LOG.warn("Cannot fsync the producer snapshot of {} at offset {} in {}: {}", tp, newBase, dir,
                    e.toString());
            }
        }, 0);
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
        LocalLog.LogEnd e = local.end();
        long start = logStartOffset;
        if (startOffset < start || startOffset > e.offset()) {
            throw new OffsetOutOfRangeException("Offset " + startOffset + " is out of range for " + tp
                + ": log start offset " + start + ", log end offset " + e.offset(), Map.of(tp, startOffset));
        }
        return local.read(startOffset, maxBytes, Math.min(maxOffsetExclusive, e.offset()), minOneMessage, e);
    }

    /**
     * ListOffsets: {@link ListOffsetsRequest#EARLIEST_TIMESTAMP} (-2, the log start),
     * {@link ListOffsetsRequest#LATEST_TIMESTAMP} (-1, the log end),
     * {@link ListOffsetsRequest#MAX_TIMESTAMP} (-3, the record with the largest timestamp),
     * {@link ListOffsetsRequest#EARLIEST_LOCAL_TIMESTAMP} (-4, as -2), or a time: the first record
     * whose timestamp is at or after it. Empty if there is none.
     *
     * @throws IllegalArgumentException another negative timestamp
     */
    public Optional<TimestampAndOffset> fetchOffsetByTimestamp(long timestamp) {
        long start = logStartOffset;
        LocalLog.LogEnd e = local.end();
        if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP
            || timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP) {
            return Optional.of(new TimestampAndOffset(RecordBatch.NO_TIMESTAMP, start, epochAt(start)));
        }
        if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP) {
            var latest = leaderEpochs.latestEpoch();
            Optional<Integer> epoch = latest.isPresent() ? Optional.of(latest.getAsInt()) : Optional.empty();
            return Optional.of(new TimestampAndOffset(RecordBatch.NO_TIMESTAMP, e.offset(), epoch));
        }
        if (timestamp == ListOffsetsRequest.MAX_TIMESTAMP) {
            return local.maxTimestampAndOffset();
        }
        if (timestamp < 0) {
            throw new IllegalArgumentException("unsupported ListOffsets timestamp " + timestamp + " for " + tp);
        }
        return local.findOffsetByTimestamp(timestamp, start, e);
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
        return local.logEndOffset();
    }

    public long highWatermark() {
        return highWatermark;
    }

    /** Sets the high watermark, clamped to [log start offset, log end offset]. */
    public void updateHighWatermark(long offset) {
        synchronized (lock) {
            highWatermark = Math.max(logStartOffset, Math.min(offset, local.logEndOffset()));
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
     * {@code offset} is at or beyond the log end; below the log start it truncates fully.
     */
    public void truncateTo(long offset) {
        synchronized (lock) {
            ensureOpen();
            if (offset < 0) {
                throw new IllegalArgumentException("cannot truncate " + tp + " to negative offset " + offset);
            }
            if (offset >= local.logEndOffset()) {
                return;
            }
            if (offset < logStartOffset) {
                truncateFullyAndStartAt(offset);
                return;
            }
            truncations++;
            try {
                local.truncateTo(offset, config.fileDeleteDelayMs());
                highWatermark = Math.min(highWatermark, offset);
                recoveryPoint = Math.min(recoveryPoint, offset);
                leaderEpochs.truncateFromEnd(offset);
                producerState.deleteSnapshotsAbove(offset);
                LogLoader.rebuildProducerState(producerState, local.segments(), offset);
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
                local.truncateFullyAndStartAt(newOffset, config);
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
        flushUpTo(local.logEndOffset());
    }

    /** Fsyncs the segments holding offsets below {@code offset}, then raises the recovery point. */
    void flushUpTo(long offset) {
        long from = recoveryPoint;
        if (offset <= from || closed) {
            return;
        }
        long truncationsBefore = truncations;
        try {
            local.flush(from, offset);
        } catch (IOException e) {
            if (closed || truncations != truncationsBefore) {
                return;
            }
            throw storageError("flush", e);
        }
        synchronized (lock) {
            if (truncations == truncationsBefore && offset > recoveryPoint && offset <= local.logEndOffset()) {
                recoveryPoint = offset;
            }
            lastFlushMs = time.milliseconds();
        }
    }

    /** {@code flush.ms}: flushes in the caller's (background) thread if the last flush is that old. */
    void maybeFlushByTime(long nowMs) {
        if (nowMs - lastFlushMs >= config.flushMs() && recoveryPoint < local.logEndOffset()) {
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
                    long[] excess = {local.sizeInBytes() - cfg.retentionBytes()};
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
        ConcurrentNavigableMap<Long, LogSegment> segments = local.segments();
        long logEnd = local.logEndOffset();
        for (Map.Entry<Long, LogSegment> entry : segments.entrySet()) {
            LogSegment segment = entry.getValue();
            Long next = segments.higherKey(entry.getKey());
            long upperBound = next != null ? next : logEnd;
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
                local.roll(config, this::onRoll);
            }
            local.removeAndScheduleDeletion(deletable, config.fileDeleteDelayMs());
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

    /** Removes a segment's (renamed) files after {@code file.delete.delay.ms}, in the background. */
    void scheduleDeletion(LogSegment segment) {
        local.scheduleDeletion(segment, config.fileDeleteDelayMs());
    }

    // ---------------------------------------------------------------- compaction support

    /** The lock that serialises structure changes; the cleaner takes it for its swap. */
    Object lock() {
        return lock;
    }

    ConcurrentNavigableMap<Long, LogSegment> segmentMap() {
        return local.segments();
    }

    /** Segments that are neither active nor above {@code offset} (the high watermark), oldest first. */
    List<LogSegment> inactiveSegmentsBelow(long offset) {
        return local.inactiveSegmentsBelow(offset);
    }

    /** The offset after {@code segment}: the next segment's base offset, or the log end. */
    long nextOffsetAfter(LogSegment segment) {
        return local.nextOffsetAfter(segment);
    }

    /** How many truncations the log has seen; see {@link #truncations}. */
    long truncationCount() {
        return truncations;
    }

    boolean isActive(LogSegment segment) {
        return local.activeSegment() == segment;
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
        return local.sizeInBytes();
    }

    public int numberOfSegments() {
        return local.segments().size();
    }

    /** Forgets producers idle for longer than {@code producer.id.expiration.ms}. */
    void removeExpiredProducers() {
        synchronized (lock) {
            producerState.removeExpiredProducers(time.milliseconds());
        }
    }

    /**
     * Clean close: fsyncs, snapshots the producer state at the log end, writes the final
     * time-index entry and trims the indexes of the active segment. Blocking.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            try {
                long end = local.logEndOffset();
                producerState.updateMapEndOffset(end);
                producerState.takeSnapshot(true);
                local.close();
                recoveryPoint = end;
            } catch (IOException e) {
                throw storageError("close", e);
            } finally {
                closed = true;
            }
        }
    }

    /** Closes the files without the clean-shutdown work (the directory is being deleted, or a crash test). */
    void closeForDeletion() {
        synchronized (lock) {
            closed = true;
            local.closeFiles();
        }
    }

    boolean isClosed() {
        return closed;
    }

    private void ensureOpen() {
        if (closed) {
            throw new KafkaStorageException("The log of " + tp + " in " + dir + " is closed");
        }
    }

    private KafkaStorageException storageError(String what, IOException e) {
        LOG.error("IO error on {} of {} in {} (log end offset {})", what, tp, dir, local.logEndOffset(), e);
        return new KafkaStorageException("IO error on " + what + " " + tp + " in " + dir + ": " + e.getMessage(), e);
    }

    @Override
    public String toString() {
        return "PartitionLog(" + tp + ", start " + logStartOffset + ", end " + local.logEndOffset() + ", hw "
            + highWatermark + ", " + local.segments().size() + " segments)";
    }
}
