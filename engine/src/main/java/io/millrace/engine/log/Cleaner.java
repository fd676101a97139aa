package io.millrace.engine.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;
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
 * One compaction pass over one log, as Kafka's {@code Cleaner}: builds the offset map (key →
 * latest offset) over the dirty segments within the memory budget, copies each group of
 * segments up to the end of that map through the compaction filter into a {@code .cleaned}
 * segment, and swaps it in (see {@link LogCleaner} for the whole protocol and its crash safety).
 *
 * <p>Thread-safety: stateless between passes; the {@link LogCleaner} runs one pass per log at a
 * time, and passes over different logs may run at once.
 */
final class Cleaner {
    private static final Logger LOG = LoggerFactory.getLogger(Cleaner.class);
    /** Bytes counted per map entry beside the key: Kafka's budget is similar. */
    private static final int MAP_ENTRY_OVERHEAD = 40;

    /**
     * What a pass did.
     *
     * @param completed every group was swapped in (false: the log changed meanwhile, or the
     *     pass was aborted, and nothing may be recorded)
     * @param endOffset the offset below which the log is now clean
     * @param keys distinct keys in the offset map
     */
    record Result(boolean completed, long endOffset, int keys) {
        static final Result ABANDONED = new Result(false, -1, 0);
    }

    private final long dedupeBufferSize;
    private final Time time;
    private final Predicate<TopicPartition> aborted;

    Cleaner(long dedupeBufferSize, Time time, Predicate<TopicPartition> aborted) {
        this.dedupeBufferSize = dedupeBufferSize;
        this.time = time;
        this.aborted = aborted;
    }

    /**
     * Cleans {@code cleanable} (inactive segments, oldest first) up to the end of the offset
     * map built over {@code dirty} (its tail from {@code firstDirty}).
     *
     * @param truncationsBefore the log's truncation count when the pass chose its segments
     */
    Result clean(PartitionLog log, List<LogSegment> cleanable, List<LogSegment> dirty, long firstDirty, long now,
                 long truncationsBefore) throws IOException {
        OffsetMap map = buildOffsetMap(dirty, firstDirty);
        long endOffset = map.endOffset;
        if (endOffset <= firstDirty) {
            return Result.ABANDONED;
        }
        LogConfig cfg = log.config();
        List<LogSegment> toClean = cleanable.stream().filter(s -> s.baseOffset() < endOffset).toList();
        for (List<LogSegment> group : groupSegments(log, toClean, cfg)) {
            if (aborted.test(log.topicPartition()) || !cleanGroup(log, group, map, now, cfg, truncationsBefore)) {
                return Result.ABANDONED;
            }
        }
        return new Result(true, endOffset, map.latest.size());
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
        long budget = dedupeBufferSize;
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
            long next = log.nextOffsetAfter(segment);
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
        Path dir = log.dir();
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
            boolean intact = !log.isClosed() && !aborted.test(log.topicPartition())
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

    private static void deleteLeftovers(Path dir, long base, String suffix) throws IOException {
        Files.deleteIfExists(LogSegment.logFile(dir, base, suffix).toPath());
        Files.deleteIfExists(LogSegment.offsetIndexFile(dir, base, suffix).toPath());
        Files.deleteIfExists(LogSegment.timeIndexFile(dir, base, suffix).toPath());
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
