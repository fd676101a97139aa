package io.millrace.engine.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compaction for logs with {@code cleanup.policy} containing {@code compact}, as Kafka's
 * {@code LogCleaner}: the cleaner threads, the choice of what to clean, and where each log's
 * cleaning stopped ({@link CleanerOffsetCheckpoints}); a {@link Cleaner} does each pass. It keeps the latest record of each key, keeps offsets (gaps are fine),
 * removes tombstones once their delete horizon ({@code delete.retention.ms} after the cleaner
 * first saw them) has passed, honours {@code min.compaction.lag.ms} and
 * {@code min.cleanable.dirty.ratio}, and merges small segments into one.
 *
 * <p>One pass over a log ({@link Cleaner} does steps 2 and 3):
 * <ol>
 *   <li>The dirty range runs from the first dirty offset (where the last pass stopped, kept in
 *       each log dir's {@code cleaner-offset-checkpoint} so a restart resumes there) to the
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

    private final LogManagerConfig config;
    private final Time time;
    private final Supplier<Collection<PartitionLog>> logs;
    private final CleanerOffsetCheckpoints checkpoints;
    private final Set<TopicPartition> inProgress = ConcurrentHashMap.newKeySet();
    private final Set<TopicPartition> aborted = ConcurrentHashMap.newKeySet();
    private final Cleaner cleaner;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    LogCleaner(LogManagerConfig config, Time time, Supplier<Collection<PartitionLog>> logs,
               CleanerOffsetCheckpoints checkpoints) {
        this.config = config;
        this.time = time;
        this.logs = logs;
        this.checkpoints = checkpoints;
        this.cleaner = new Cleaner(config.cleanerDedupeBufferSize(), time, aborted::contains);
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
        Cleaner.Result result = cleaner.clean(log, range.cleanable(), range.dirty(), firstDirty, now,
            truncationsBefore);
        if (!result.completed()
            || !checkpoints.updateUnlessTruncated(logDirOf(log), log, result.endOffset(), truncationsBefore)) {
            return false;
        }
        LOG.info("Compacted {} up to offset {} ({} dirty of {} bytes, {} keys)", log.topicPartition(),
            result.endOffset(), range.dirtyBytes(), range.cleanBytes() + range.dirtyBytes(), result.keys());
        return true;
    }

    private static long nextBaseOffset(PartitionLog log, LogSegment segment) {
        return log.nextOffsetAfter(segment);
    }
}
