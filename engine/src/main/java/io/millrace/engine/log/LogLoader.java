package io.millrace.engine.log;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a partition directory: finishes or discards interrupted file operations, opens the
 * segments, checks their indexes, recovers after an unclean stop, and rebuilds the producer
 * state and leader epochs to match the log.
 *
 * <p>File suffixes it resolves, as Kafka does:
 * <ul>
 *   <li>{@code .deleted}: a segment retention already removed: delete the file.</li>
 *   <li>{@code .cleaned}: a compaction output not yet swapped in: delete it (the originals are whole).</li>
 *   <li>{@code .swap}: a compaction output whose swap had begun: finish it, replacing the live
 *       segments it covers.</li>
 *   <li>{@code .tmp}: a half-written checkpoint or snapshot: delete it.</li>
 * </ul>
 *
 * <p>Not thread-safe: one loader opens one directory, on one of the log manager's recovery
 * threads, before anything else can see the log.
 */
final class LogLoader {
    private static final Logger LOG = LoggerFactory.getLogger(LogLoader.class);

    record Loaded(ConcurrentNavigableMap<Long, LogSegment> segments, long logStartOffset, long logEndOffset,
                  long recoveryPoint, LeaderEpochCache leaderEpochs, ProducerStateTable producerState) {}

    private final TopicPartition tp;
    private final Path dir;
    private final LogConfig config;
    private final Time time;
    private final long producerIdExpirationMs;

    LogLoader(TopicPartition tp, Path dir, LogConfig config, Time time, long producerIdExpirationMs) {
        this.tp = tp;
        this.dir = dir;
        this.config = config;
        this.time = time;
        this.producerIdExpirationMs = producerIdExpirationMs;
    }

    Loaded load(long checkpointedRecoveryPoint, long checkpointedLogStartOffset, boolean hadCleanShutdown)
        throws IOException {
        Files.createDirectories(dir);
        cleanUpInterruptedOperations();
        ConcurrentNavigableMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();
        List<Long> needRecovery = openSegments(segments);
        if (segments.isEmpty()) {
            long start = Math.max(0, checkpointedLogStartOffset);
            segments.put(start, LogSegment.open(dir, start, config, time, "", true));
        }
        long[] logEndHolder = {0};
        LeaderEpochCache epochs = new LeaderEpochCache(dir, () -> logEndHolder[0]);
        // After a clean shutdown only segments with broken indexes are scanned; otherwise every
        // segment from the one holding the recovery point on.
        Long recoverFromBase = hadCleanShutdown ? null
            : segments.floorKey(Math.max(checkpointedRecoveryPoint, segments.firstKey()));
        long truncatedBytes = recoverSegments(segments, needRecovery, recoverFromBase, epochs);
        LogSegment active = segments.lastEntry().getValue();
        long logEndOffset = Math.max(active.readNextOffset(), active.baseOffset());
        logEndHolder[0] = logEndOffset;
        active.prepareForAppends();
        long logStartOffset = Math.min(Math.max(checkpointedLogStartOffset, segments.firstKey()), logEndOffset);
        epochs.truncateFromEnd(logEndOffset);
        epochs.truncateFromStart(logStartOffset);
        ProducerStateTable producers = new ProducerStateTable(dir, producerIdExpirationMs);
        rebuildProducerState(producers, segments, logEndOffset);
        if (!hadCleanShutdown) {
            for (LogSegment segment : segments.tailMap(recoverFromBase == null ? segments.firstKey() : recoverFromBase,
                    true).values()) {
                segment.flush();
            }
            LogRecoveryMessages.recovered(dir, Math.min(checkpointedRecoveryPoint, logEndOffset), logEndOffset,
                truncatedBytes);
        }
        return new Loaded(segments, logStartOffset, logEndOffset, logEndOffset, epochs, producers);
    }

    /**
     * Validates every batch of the segments that need it (listed, or at or after
     * {@code recoverFromBase}), rebuilding their indexes and the leader epochs they carry; at the
     * first invalid or partial batch the segment is truncated and every later segment deleted.
     * The others only load their bookkeeping from their indexes.
     *
     * @return the bytes truncated
     */
    private long recoverSegments(ConcurrentNavigableMap<Long, LogSegment> segments, List<Long> needRecovery,
                                 Long recoverFromBase, LeaderEpochCache epochs) throws IOException {
        long nextOffset = segments.firstKey();
        for (LogSegment segment : new ArrayList<>(segments.values())) {
            boolean recover = needRecovery.contains(segment.baseOffset())
                || (recoverFromBase != null && segment.baseOffset() >= recoverFromBase);
            if (!recover) {
                segment.loadFromIndexes();
                nextOffset = segment.readNextOffset();
                continue;
            }
            int truncated = segment.recover(nextOffset, batch -> {
                if (batch.partitionLeaderEpoch() >= 0) {
                    epochs.assign(batch.partitionLeaderEpoch(), batch.baseOffset());
                }
            });
            nextOffset = segment.readNextOffset();
            if (truncated > 0) {
                deleteSegmentsAfter(segments, segment.baseOffset());
                return truncated;
            }
            if (segment != segments.lastEntry().getValue()) {
                segment.onBecomeInactive();
            }
        }
        return 0;
    }

    /**
     * Removes leftovers of interrupted work: {@code .deleted}, {@code .cleaned} and {@code .tmp}
     * files go; {@code .swap} segments replace the segments they cover.
     */
    private void cleanUpInterruptedOperations() throws IOException {
        List<Path> swaps = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(LogSegment.DELETED_SUFFIX) || name.endsWith(LogSegment.CLEANED_SUFFIX)
                    || name.endsWith(".tmp")) {
                    Files.deleteIfExists(p);
                } else if (name.endsWith(LogSegment.LOG_SUFFIX + LogSegment.SWAP_SUFFIX)) {
                    swaps.add(p);
                }
            }
        }
        for (Path swap : swaps) {
            completeSwap(swap);
        }
        // index swap files whose log file was already renamed
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(LogSegment.SWAP_SUFFIX)) {
                    Files.move(p, p.resolveSibling(name.substring(0, name.length() - LogSegment.SWAP_SUFFIX.length())),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /**
     * A {@code .swap} segment is a finished compaction output covering [its base offset, the
     * offset after its last batch). The live segments inside that range are the ones it replaces.
     */
    private void completeSwap(Path swapLog) throws IOException {
        String name = swapLog.getFileName().toString();
        long base = Long.parseLong(name.substring(0, 20));
        LogSegment swap = LogSegment.open(dir, base, config, time, LogSegment.SWAP_SUFFIX, false);
        long nextOffset = swap.readNextOffset();
        swap.close();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String n = p.getFileName().toString();
                if (n.endsWith(LogSegment.LOG_SUFFIX) && n.length() == 20 + LogSegment.LOG_SUFFIX.length()) {
                    long b = Long.parseLong(n.substring(0, 20));
                    if (b >= base && b < nextOffset) {
                        Files.deleteIfExists(p);
                        Files.deleteIfExists(LogSegment.offsetIndexFile(dir, b, "").toPath());
                        Files.deleteIfExists(LogSegment.timeIndexFile(dir, b, "").toPath());
                    }
                }
            }
        }
        for (String suffix : List.of(LogSegment.LOG_SUFFIX, LogSegment.INDEX_SUFFIX, LogSegment.TIME_INDEX_SUFFIX)) {
            Path from = dir.resolve(LogSegment.filenamePrefix(base) + suffix + LogSegment.SWAP_SUFFIX);
            if (Files.exists(from)) {
                Files.move(from, dir.resolve(LogSegment.filenamePrefix(base) + suffix),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        LOG.info("Completed an interrupted compaction swap of {} at offset {}", tp, base);
    }

    /**
     * Opens every {@code .log} file, deleting index files that have no log. A segment whose
     * indexes are missing or fail their sanity check is listed for recovery (which rebuilds them).
     */
    private List<Long> openSegments(Map<Long, LogSegment> segments) throws IOException {
        TreeMap<Long, Path> logs = new TreeMap<>();
        List<Path> indexes = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                Optional<Long> base = baseOffsetOf(name);
                if (base.isEmpty()) {
                    continue;
                }
                if (name.endsWith(LogSegment.LOG_SUFFIX)) {
                    logs.put(base.get(), p);
                } else if (name.endsWith(LogSegment.INDEX_SUFFIX) || name.endsWith(LogSegment.TIME_INDEX_SUFFIX)) {
                    indexes.add(p);
                }
            }
        }
        for (Path index : indexes) {
            long base = baseOffsetOf(index.getFileName().toString()).orElseThrow();
            if (!logs.containsKey(base)) {
                LOG.warn("Deleting index {} of {}: it has no log file", index.getFileName(), tp);
                Files.deleteIfExists(index);
            }
        }
        List<Long> needRecovery = new ArrayList<>();
        for (long base : logs.keySet()) {
            File offsetIndex = LogSegment.offsetIndexFile(dir, base, "");
            File timeIndex = LogSegment.timeIndexFile(dir, base, "");
            boolean indexesPresent = offsetIndex.exists() && timeIndex.exists();
            // The last segment takes appends: its indexes are mapped at their full size at once.
            LogSegment segment = LogSegment.open(dir, base, config, time, "", base == logs.lastKey());
            segments.put(base, segment);
            if (!indexesPresent) {
                LogRecoveryMessages.corruptIndex(dir, base, "index file missing");
                needRecovery.add(base);
                continue;
            }
            try {
                segment.offsetIndex().sanityCheck(segment.size());
                segment.timeIndex().sanityCheck(Long.MAX_VALUE);
            } catch (CorruptIndexException e) {
                LogRecoveryMessages.corruptIndex(dir, base, e.getMessage());
                needRecovery.add(base);
            }
        }
        return needRecovery;
    }

    /** The base offset of a segment file name ({@code 00000000000000000042.log}), if it is one. */
    static Optional<Long> baseOffsetOf(String name) {
        int dot = name.indexOf('.');
        if (dot != 20) {
            return Optional.empty();
        }
        String suffix = name.substring(dot);
        if (!suffix.equals(LogSegment.LOG_SUFFIX) && !suffix.equals(LogSegment.INDEX_SUFFIX)
            && !suffix.equals(LogSegment.TIME_INDEX_SUFFIX)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(name.substring(0, dot)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private void deleteSegmentsAfter(Map<Long, LogSegment> segments, long baseOffset) throws IOException {
        for (Long base : new ArrayList<>(((ConcurrentNavigableMap<Long, LogSegment>) segments)
                .tailMap(baseOffset, false).keySet())) {
            LOG.warn("Deleting segment {} of {}: it follows the truncated segment {}", base, tp, baseOffset);
            segments.remove(base).deleteIfExists();
        }
    }

    /**
     * Loads the latest snapshot at or below {@code endOffset} and replays the batches between it
     * and {@code endOffset} (only batch headers are read).
     */
    static void rebuildProducerState(ProducerStateTable producers, ConcurrentNavigableMap<Long, LogSegment> segments,
                                     long endOffset) throws IOException {
        long from = producers.loadLatestSnapshot(endOffset).orElse(segments.firstKey());
        Long firstBase = segments.floorKey(from);
        for (LogSegment segment : segments.tailMap(firstBase == null ? segments.firstKey() : firstBase, true).values()) {
            int position = segment.offsetIndex().lookup(from).position();
            for (FileChannelRecordBatch batch : segment.log().batchesFrom(position)) {
                if (batch.lastOffset() >= from && batch.baseOffset() < endOffset) {
                    producers.update(batch);
                }
            }
        }
        producers.updateMapEndOffset(endOffset);
    }
}
