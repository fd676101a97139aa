package io.millrace.engine.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecords.RecordFilter;
import org.apache.kafka.common.record.internal.MemoryRecords.RecordFilter.BatchRetention;
import org.apache.kafka.common.record.internal.MemoryRecords.RecordFilter.BatchRetentionResult;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.CloseableIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compaction for logs with {@code cleanup.policy} containing {@code compact}, as Kafka's
 * {@code LogCleaner}: keeps the latest record of each key, keeps offsets (gaps are fine),
 * removes tombstones once their delete horizon ({@code delete.retention.ms} after the cleaner
 * first saw them) has passed, honours {@code min.compaction.lag.ms} and
 * {@code min.cleanable.dirty.ratio}, and merges small segments into one.
 *
 * <p>One pass over a log:
 * <ol>
 *   <li>The dirty range runs from the first dirty offset (where the last pass stopped) to the
 *       first uncleanable offset: the active segment, the high watermark, or the first segment
 *       younger than {@code min.compaction.lag.ms}.</li>
 *   <li>An offset map (key → latest offset) is built over the dirty range, bounded by
 *       {@code log.cleaner.dedupe.buffer.size}; the range shrinks to what fits.</li>
 *   <li>Each group of inactive segments from the log start to the end of that range is copied
 *       to a {@code .cleaned} segment keeping only the records the map says are latest, fsynced,
 *       renamed {@code .swap}, then swapped in under the log's lock (old files renamed
 *       {@code .deleted}, the swap renamed live). A crash before the {@code .swap} rename leaves
 *       the old segments; after it, the next open finishes the swap.</li>
 * </ol>
 * Appends are never blocked: cleaning reads inactive segments only and takes the log's lock just
 * for the swap, which it abandons if the log was truncated or trimmed meanwhile.
 *
 * <p>Thread-safety: passes run on the cleaner threads, or on a caller of {@link #cleanAllOnce};
 * a log is cleaned by one pass at a time.
 */
final class LogCleaner {
    private static final Logger LOG = LoggerFactory.getLogger(LogCleaner.class);
    /** Bytes counted per map entry beside the key: Kafka's budget is similar. */
    private static final int MAP_ENTRY_OVERHEAD = 40;

    private final LogManagerConfig config;
    private final Time time;
    private final Supplier<Collection<PartitionLog>> logs;
    private final CleanerOffsetCheckpoints checkpoints;
    private final Set<TopicPartition> inProgress = ConcurrentHashMap.newKeySet();
    private final Set<TopicPartition> aborted = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    LogCleaner(LogManagerConfig config, Time time, Supplier<Collection<PartitionLog>> logs,
               CleanerOffsetCheckpoints checkpoints) {
        this.config = config;
        this.time = time;
        this.logs = logs;
        this.checkpoints = checkpoints;
    }

    void start() {
        running = true;
        for (int i = 0; i < config.cleanerThreads(); i++) {
            Thread t = new Thread(this::runLoop, "millrace-log-cleaner-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void runLoop() {
        while (running) {
            int cleaned = 0;
            try {
                cleaned = cleanAllOnce();
            } catch (RuntimeException e) {
                LOG.error("Log cleaner pass failed", e);
            }
            if (cleaned == 0) {
                synchronized (this) {
                    try {
                        wait(Math.max(1, config.cleanerBackoffMs()));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }

    void shutdown() {
        running = false;
        synchronized (this) {
            notifyAll();
        }
        for (Thread t : threads) {
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stops any pass over {@code tp} at its next check and forgets its checkpoint (the log is being deleted). */
    void abort(TopicPartition tp, Path logDir) {
        aborted.add(tp);
        checkpoints.remove(logDir, tp);
    }

    /** Cleans every compacted log whose dirty ratio (or max lag) calls for it; returns how many. */
    int cleanAllOnce() {
        int cleaned = 0;
        for (PartitionLog log : logs.get()) {
            TopicPartition tp = log.topicPartition();
            if (!log.config().compact() || log.isClosed() || !inProgress.add(tp)) {
                continue;
            }
            aborted.remove(tp);
            try {
                if (cleanIfNeeded(log)) {
                    cleaned++;
                }
            } catch (IOException e) {
                LOG.error("Cannot compact {}", tp, e);
            } catch (KafkaStorageException e) {
                if (!log.isClosed()) {
                    LOG.error("Cannot compact {}", tp, e);
                }
            } finally {
                inProgress.remove(tp);
            }
        }
        return cleaned;
    }

    /**
     * Where the last pass stopped, from the {@code cleaner-offset-checkpoint} of the log's
     * directory, within the log: a checkpoint beyond the log end (the log was replaced behind
     * its back) restarts cleaning at the log start, as Kafka does.
     */
    long firstDirtyOffset(PartitionLog log) {
        long start = log.logStartOffset();
        OptionalLong checkpointed = checkpoints.get(logDirOf(log), log.topicPartition());
        if (checkpointed.isEmpty()) {
            return start;
        }
        if (checkpointed.getAsLong() > log.logEndOffset()) {
            LOG.warn("Resetting the first dirty offset of {} to its log start offset {}: the checkpointed {} is "
                + "beyond its log end offset {}", log.topicPartition(), start, checkpointed.getAsLong(),
                log.logEndOffset());
            return start;
        }
        return Math.max(start, checkpointed.getAsLong());
    }

    private static Path logDirOf(PartitionLog log) {
        return log.dir().getParent();
    }

    /** The inactive segments a pass may clean, split at the first dirty offset. */
    private record CleanableRange(List<LogSegment> cleanable, List<LogSegment> dirty, long cleanBytes,
                                  long dirtyBytes) {
        double dirtyRatio() {
            return (double) dirtyBytes / Math.max(1, cleanBytes + dirtyBytes);
        }
    }

    /**
     * The segments below the high watermark, oldest first, up to the first one holding records
     * younger than {@code min.compaction.lag.ms}; empty if none of them is dirty.
     */
    private Optional<CleanableRange> cleanableRange(PartitionLog log, long firstDirty, long now) {
        LogConfig cfg = log.config();
        List<LogSegment> cleanable = new ArrayList<>();
        List<LogSegment> dirty = new ArrayList<>();
        long cleanBytes = 0;
        long dirtyBytes = 0;
        for (LogSegment segment : log.inactiveSegmentsBelow(log.highWatermark())) {
            // Record time only: an empty segment (all cleaned away) has nothing too young to clean.
            long newest = segment.maxTimestampSoFar();
            if (newest >= 0 && now - newest < cfg.minCompactionLagMs()) {
                break;
            }
            cleanable.add(segment);
            if (nextBaseOffset(log, segment) <= firstDirty) {
                cleanBytes += segment.size();
            } else {
                dirtyBytes += segment.size();
                dirty.add(segment);
            }
        }
        return dirty.isEmpty() ? Optional.empty()
            : Optional.of(new CleanableRange(cleanable, dirty, cleanBytes, dirtyBytes));
    }

    private boolean cleanIfNeeded(PartitionLog log) throws IOException {
        LogConfig cfg = log.config();
        long now = time.milliseconds();
        long truncationsBefore = log.truncationCount();
        long firstDirty = firstDirtyOffset(log);
        Optional<CleanableRange> found = cleanableRange(log, firstDirty, now);
        if (found.isEmpty()) {
            return false;
        }
        CleanableRange range = found.get();
        long oldestDirty = range.dirty().get(0).maxTimestampSoFar();
        boolean lagExceeded = oldestDirty >= 0 && now - oldestDirty > cfg.maxCompactionLagMs();
        if (range.dirtyRatio() < cfg.minCleanableDirtyRatio() && !lagExceeded) {
            return false;
        }
        OffsetMap map = buildOffsetMap(range.dirty(), firstDirty);
        long endOffset = map.endOffset;
        if (endOffset <= firstDirty) {
            return false;
        }
        List<LogSegment> toClean = range.cleanable().stream().filter(s -> s.baseOffset() < endOffset).toList();
        for (List<LogSegment> group : groupSegments(log, toClean, cfg)) {
            if (aborted.contains(log.topicPartition()) || !cleanGroup(log, group, map, now, cfg, truncationsBefore)) {
                return false;
            }
        }
        if (!checkpoints.updateUnlessTruncated(logDirOf(log), log, endOffset, truncationsBefore)) {
            return false;
        }
        LOG.info("Compacted {} up to offset {} ({} dirty of {} bytes, {} keys)", log.topicPartition(), endOffset,
            range.dirtyBytes(), range.cleanBytes() + range.dirtyBytes(), map.latest.size());
        return true;
    }

    private static long nextBaseOffset(PartitionLog log, LogSegment segment) {
        return log.nextOffsetAfter(segment);
    }

    /** Key → latest offset over the dirty segments, as far as the memory budget allows. */
    private static final class OffsetMap {
        final Map<ByteBuffer, Long> latest = new HashMap<>();
        long bytes;
        long endOffset;
    }

    private OffsetMap buildOffsetMap(List<LogSegment> dirty, long firstDirty) throws IOException {
        OffsetMap map = new OffsetMap();
        map.endOffset = firstDirty;
        long budget = config.cleanerDedupeBufferSize();
        for (LogSegment segment : dirty) {
            Map<ByteBuffer, Long> segmentKeys = new HashMap<>();
            long segmentBytes = 0;
            long segmentEnd = segment.baseOffset();
            for (FileChannelRecordBatch batch : segment.log().batches()) {
                segmentEnd = batch.nextOffset();
                if (batch.isControlBatch()) {
                    continue;
                }
                try (CloseableIterator<Record> records = batch.streamingIterator(BufferSupplier.NO_CACHING)) {
                    while (records.hasNext()) {
                        Record record = records.next();
                        if (record.offset() < firstDirty || !record.hasKey()) {
                            continue;
                        }
                        ByteBuffer key = copy(record.key());
                        if (segmentKeys.put(key, record.offset()) == null && !map.latest.containsKey(key)) {
                            segmentBytes += key.remaining() + MAP_ENTRY_OVERHEAD;
                        }
                    }
                }
            }
            if (map.bytes + segmentBytes > budget && !map.latest.isEmpty()) {
                break;
            }
            map.latest.putAll(segmentKeys);
            map.bytes += segmentBytes;
            map.endOffset = Math.max(segmentEnd, nextOffsetAfter(segment));
        }
        return map;
    }

    private static long nextOffsetAfter(LogSegment segment) {
        return segment.readNextOffset();
    }

    private static ByteBuffer copy(ByteBuffer key) {
        ByteBuffer out = ByteBuffer.allocate(key.remaining());
        out.put(key.duplicate());
        out.flip();
        return out;
    }

    /** Consecutive segments merged while their bytes fit segment.bytes and their offsets fit an index. */
    private static List<List<LogSegment>> groupSegments(PartitionLog log, List<LogSegment> segments, LogConfig cfg) {
        List<List<LogSegment>> groups = new ArrayList<>();
        List<LogSegment> current = new ArrayList<>();
        long bytes = 0;
        long indexBytes = 0;
        for (LogSegment segment : segments) {
            long next = nextBaseOffset(log, segment);
            boolean fits = !current.isEmpty()
                && bytes + segment.size() <= cfg.segmentBytes()
                && indexBytes + segment.offsetIndex().sizeInBytes() + segment.timeIndex().sizeInBytes()
                    <= cfg.segmentIndexBytes()
                && next - 1 - current.get(0).baseOffset() <= Integer.MAX_VALUE;
            if (!fits && !current.isEmpty()) {
                groups.add(current);
                current = new ArrayList<>();
                bytes = 0;
                indexBytes = 0;
            }
            current.add(segment);
            bytes += segment.size();
            indexBytes += segment.offsetIndex().sizeInBytes() + segment.timeIndex().sizeInBytes();
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        return groups;
    }

    /**
     * Copies a group of segments into one {@code .cleaned} segment keeping the latest record of
     * each key, then swaps it in.
     *
     * @return false if the swap was abandoned (the log changed meanwhile)
     */
    private boolean cleanGroup(PartitionLog log, List<LogSegment> group, OffsetMap map, long now, LogConfig cfg,
                               long truncationsBefore) throws IOException {
        long base = group.get(0).baseOffset();
        java.nio.file.Path dir = log.dir();
        deleteLeftovers(dir, base, LogSegment.CLEANED_SUFFIX);
        LogSegment cleaned = LogSegment.open(dir, base, cfg, time, LogSegment.CLEANED_SUFFIX, true);
        try {
            RecordFilter filter = new CompactionFilter(log, map, now, cfg.deleteRetentionMs());
            ByteBuffer out = ByteBuffer.allocate(64 * 1024);
            for (LogSegment segment : group) {
                for (FileChannelRecordBatch fileBatch : segment.log().batches()) {
                    ByteBuffer in = ByteBuffer.allocate(fileBatch.sizeInBytes());
                    fileBatch.writeTo(in);
                    in.flip();
                    if (out.capacity() < in.capacity() * 2) {
                        out = ByteBuffer.allocate(in.capacity() * 2);
                    }
                    out.clear();
                    MemoryRecords.FilterResult result = MemoryRecords.readableRecords(in)
                        .filterTo(filter, out, BufferSupplier.NO_CACHING, Integer.MAX_VALUE);
                    ByteBuffer filtered = result.outputBuffer();
                    out = filtered;
                    filtered.flip();
                    if (filtered.hasRemaining()) {
                        cleaned.append(MemoryRecords.readableRecords(filtered));
                    }
                }
            }
            cleaned.onBecomeInactive();
            cleaned.flush();
            long newest = group.stream().mapToLong(LogSegment::lastModifiedMs).max().orElse(now);
            cleaned.setLastModified(newest);
            cleaned.changeFileSuffixes(LogSegment.CLEANED_SUFFIX, LogSegment.SWAP_SUFFIX);
            CheckpointFile.fsyncDirectory(dir);
            return swap(log, group, cleaned, truncationsBefore);
        } catch (IOException | RuntimeException e) {
            cleaned.deleteIfExists();
            throw e;
        }
    }

    /**
     * Replaces the group by the cleaned segment under the log's lock, unless the log changed
     * since the pass began: closed, deleted, truncated (the group may hold records that are gone,
     * or the segment that is now active), or the group's segments replaced by retention.
     */
    private boolean swap(PartitionLog log, List<LogSegment> group, LogSegment cleaned, long truncationsBefore)
        throws IOException {
        synchronized (log.lock()) {
            boolean intact = !log.isClosed() && !aborted.contains(log.topicPartition())
                && log.truncationCount() == truncationsBefore
                && group.stream().allMatch(s -> log.segmentMap().get(s.baseOffset()) == s && !log.isActive(s));
            if (!intact) {
                LOG.info("Abandoning a compaction of {}: the log changed meanwhile", log.topicPartition());
                cleaned.deleteIfExists();
                return false;
            }
            for (LogSegment old : group) {
                old.changeFileSuffixes("", LogSegment.DELETED_SUFFIX);
            }
            cleaned.changeFileSuffixes(LogSegment.SWAP_SUFFIX, "");
            for (LogSegment old : group) {
                log.segmentMap().remove(old.baseOffset());
            }
            log.segmentMap().put(cleaned.baseOffset(), cleaned);
            CheckpointFile.fsyncDirectory(log.dir());
            for (LogSegment old : group) {
                log.scheduleDeletion(old);
            }
            return true;
        }
    }

    private static void deleteLeftovers(java.nio.file.Path dir, long base, String suffix) throws IOException {
        java.nio.file.Files.deleteIfExists(LogSegment.logFile(dir, base, suffix).toPath());
        java.nio.file.Files.deleteIfExists(LogSegment.offsetIndexFile(dir, base, suffix).toPath());
        java.nio.file.Files.deleteIfExists(LogSegment.timeIndexFile(dir, base, suffix).toPath());
    }

    /** Keeps a record if it is the latest of its key; drops tombstones past their delete horizon. */
    private static final class CompactionFilter extends RecordFilter {
        private final PartitionLog log;
        private final OffsetMap map;

        CompactionFilter(PartitionLog log, OffsetMap map, long now, long deleteRetentionMs) {
            super(now, deleteRetentionMs);
            this.log = log;
            this.map = map;
        }

        @Override
        protected BatchRetentionResult checkBatchRetention(RecordBatch batch) {
            if (batch.isControlBatch()) {
                return new BatchRetentionResult(BatchRetention.RETAIN_EMPTY, false);
            }
            boolean lastOfProducer = batch.hasProducerId() && log.producerState().lastEntry(batch.producerId())
                .map(e -> e.lastOffset() == batch.lastOffset()).orElse(false);
            return new BatchRetentionResult(lastOfProducer ? BatchRetention.RETAIN_EMPTY : BatchRetention.DELETE_EMPTY,
                false);
        }

        @Override
        protected boolean shouldRetainRecord(RecordBatch batch, Record record) {
            if (!record.hasKey()) {
                return false;
            }
            Long latest = map.latest.get(record.key());
            if (latest != null && record.offset() < latest) {
                return false;
            }
            if (!record.hasValue()) {
                var horizon = batch.deleteHorizonMs();
                return horizon.isEmpty() || currentTime < horizon.getAsLong();
            }
            return true;
        }
    }
}
