package io.millrace.engine.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.KafkaStorageException;

/**
 * Leader epoch to the first offset written in that epoch, kept in Kafka's
 * {@code leader-epoch-checkpoint} file in the partition directory:
 *
 * <pre>
 * 0        version
 * 2        entries
 * 0 0      epoch start-offset
 * 3 1500
 * </pre>
 *
 * Followers use it to find where their log diverged from a new leader's
 * (OffsetForLeaderEpoch, {@link #endOffsetFor}). Epochs and start offsets both strictly
 * increase. Thread-safe: changes come from the log's writer, lookups from any thread; every
 * change is written through to the checkpoint file.
 */
public final class LeaderEpochCache {
    /** Kafka's {@code UNDEFINED_EPOCH} and {@code UNDEFINED_EPOCH_OFFSET}. */
    public static final int UNDEFINED_EPOCH = -1;
    public static final long UNDEFINED_EPOCH_OFFSET = -1L;
    static final String CHECKPOINT_FILE = "leader-epoch-checkpoint";

    /** An epoch and the offset where it ends (exclusive) or starts. */
    public record EpochEntry(int epoch, long offset) {}

    private final NavigableMap<Integer, Long> epochs = new TreeMap<>();
    /** The latest epoch, readable without the lock: every append asks, and it rarely changes. */
    private volatile int latestEpoch = UNDEFINED_EPOCH;
    private final CheckpointFile<EpochEntry> checkpoint;
    private volatile LongSupplier logEndOffset;

    LeaderEpochCache(Path dir, LongSupplier logEndOffset) throws IOException {
        this.checkpoint = new CheckpointFile<>(dir.resolve(CHECKPOINT_FILE),
            e -> e.epoch() + " " + e.offset(), LeaderEpochCache::parse);
        this.logEndOffset = logEndOffset;
        for (EpochEntry e : checkpoint.read()) {
            epochs.put(e.epoch(), e.offset());
        }
        refreshLatest();
    }

    /** The log hands over its live log end offset once it is open. */
    void logEndOffsetSupplier(LongSupplier supplier) {
        this.logEndOffset = supplier;
    }

    private static EpochEntry parse(String line) {
        String[] parts = line.split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("expected 'epoch offset', got '" + line + "'");
        }
        return new EpochEntry(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
    }

    /**
     * Records that {@code epoch} starts at {@code startOffset}. Entries that it contradicts (an
     * epoch at least as large, or a start offset at least as large) are removed first; a repeat of
     * the latest epoch is ignored.
     */
    public void assign(int epoch, long startOffset) {
        if (epoch < 0 || epoch == latestEpoch) {
            return;
        }
        synchronized (this) {
            Map.Entry<Integer, Long> latest = epochs.lastEntry();
            if (latest != null && latest.getKey() == epoch) {
                return;
            }
            epochs.entrySet().removeIf(e -> e.getKey() >= epoch || e.getValue() >= startOffset);
            epochs.put(epoch, startOffset);
            persist();
        }
    }

    public synchronized OptionalInt latestEpoch() {
        return epochs.isEmpty() ? OptionalInt.empty() : OptionalInt.of(epochs.lastKey());
    }

    public synchronized OptionalInt earliestEpoch() {
        return epochs.isEmpty() ? OptionalInt.empty() : OptionalInt.of(epochs.firstKey());
    }

    /** The epoch of the leader that wrote {@code offset}, if known. */
    public synchronized OptionalInt epochForOffset(long offset) {
        Integer found = null;
        for (Map.Entry<Integer, Long> e : epochs.entrySet()) {
            if (e.getValue() <= offset) {
                found = e.getKey();
            } else {
                break;
            }
        }
        return found == null ? OptionalInt.empty() : OptionalInt.of(found);
    }

    /**
     * Kafka's OffsetForLeaderEpoch answer: the largest epoch at most {@code requestedEpoch} and
     * the offset where it ended (the start of the next known epoch, or the log end offset for
     * the latest epoch). Unknown (newer than any, or the cache is empty):
     * ({@link #UNDEFINED_EPOCH}, {@link #UNDEFINED_EPOCH_OFFSET}).
     */
    public synchronized EpochEntry endOffsetFor(int requestedEpoch) {
        if (requestedEpoch == UNDEFINED_EPOCH || epochs.isEmpty()) {
            return new EpochEntry(UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET);
        }
        if (epochs.lastKey() == requestedEpoch) {
            return new EpochEntry(requestedEpoch, logEndOffset.getAsLong());
        }
        Map.Entry<Integer, Long> higher = epochs.higherEntry(requestedEpoch);
        if (higher == null) {
            return new EpochEntry(UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET);
        }
        Map.Entry<Integer, Long> floor = epochs.floorEntry(requestedEpoch);
        return floor == null
            ? new EpochEntry(requestedEpoch, higher.getValue())
            : new EpochEntry(floor.getKey(), higher.getValue());
    }

    /** Removes epochs starting at or after {@code endOffset} (the log was truncated there). */
    synchronized void truncateFromEnd(long endOffset) {
        if (epochs.values().removeIf(start -> start >= endOffset)) {
            persistTruncation();
        }
    }

    /**
     * The log now starts at {@code startOffset}: epochs that ended before it go, and the epoch
     * holding it starts there.
     */
    synchronized void truncateFromStart(long startOffset) {
        Map.Entry<Integer, Long> holding = null;
        for (Map.Entry<Integer, Long> e : epochs.entrySet()) {
            if (e.getValue() <= startOffset) {
                holding = e;
            }
        }
        if (holding == null || holding.getValue() == startOffset && holding.getKey().equals(epochs.firstKey())) {
            return;
        }
        int epoch = holding.getKey();
        epochs.headMap(epoch, true).clear();
        epochs.put(epoch, startOffset);
        persistTruncation();
    }

    /** Forgets everything (the log was truncated fully). */
    synchronized void clear() {
        epochs.clear();
        persist();
    }

    public synchronized List<EpochEntry> entries() {
        List<EpochEntry> out = new ArrayList<>();
        epochs.forEach((epoch, start) -> out.add(new EpochEntry(epoch, start)));
        return out;
    }

    /** Writes the checkpoint after every change (and refreshes {@link #latestEpoch}). */
    private void persist() {
        persist(true);
    }

    /**
     * A truncation is written without fsync, as Kafka does since KAFKA-15046: if an OS crash
     * brings the longer list back, the next load truncates it again to the log's end and start;
     * a start with thousands of logs then pays no fsync per log.
     */
    private void persistTruncation() {
        persist(false);
    }

    private void persist(boolean durable) {
        refreshLatest();
        try {
            checkpoint.write(entries(), durable);
        } catch (IOException e) {
            throw new KafkaStorageException("cannot write " + checkpoint.file(), e);
        }
    }

    private void refreshLatest() {
        latestEpoch = epochs.isEmpty() ? UNDEFINED_EPOCH : epochs.lastKey();
    }

    @Override
    public synchronized String toString() {
        return "LeaderEpochCache" + epochs;
    }
}
