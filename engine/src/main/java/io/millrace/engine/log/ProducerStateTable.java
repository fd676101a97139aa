package io.millrace.engine.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.Crc32C;

/**
 * Idempotent-producer state of one partition: for each producer id its epoch and the metadata
 * of its last five batches, which is what the log needs to answer a retried batch with its
 * original offsets and to reject gaps and zombie epochs, as Kafka's {@code ProducerStateManager}.
 *
 * <p>The state survives restarts through snapshots named {@code <20-digit offset>.snapshot}
 * in the partition directory, in Kafka's format; a snapshot at offset N holds the state after
 * every batch below N, and the log replays the batches after the latest snapshot on open.
 *
 * <pre>
 *  snapshot file (big-endian)
 *  +---------------+------------------+---------------+---------------------------+
 *  | version int16 | crc32c uint32    | count int32   | entries (46 bytes each)   |
 *  +---------------+------------------+---------------+---------------------------+
 *  entry: producerId int64, epoch int16, lastSequence int32, lastOffset int64,
 *         offsetDelta int32, timestamp int64, coordinatorEpoch int32, txnFirstOffset int64
 *  crc covers everything after the crc field
 * </pre>
 *
 * <p>Thread-safety: changed only by the log's writer; the lookups may run from any thread.
 */
public final class ProducerStateTable {
    /** Batches kept per producer for duplicate detection, as Kafka. */
    public static final int NUM_BATCHES_TO_RETAIN = 5;
    static final String SNAPSHOT_SUFFIX = ".snapshot";
    private static final short SNAPSHOT_VERSION = 1;
    private static final int ENTRIES_OFFSET = 6;
    private static final int ENTRY_SIZE = 46;

    /** One appended batch of a producer. */
    public record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long lastOffset, long timestamp) {}

    /** A producer's epoch and its latest batches, oldest first. Immutable. */
    public record ProducerEntry(long producerId, short epoch, List<BatchMetadata> batches, long lastTimestamp) {
        public int lastSeq() {
            return batches.isEmpty() ? RecordBatch.NO_SEQUENCE : batches.get(batches.size() - 1).lastSeq();
        }

        public long lastOffset() {
            return batches.isEmpty() ? -1L : batches.get(batches.size() - 1).lastOffset();
        }

        Optional<BatchMetadata> findDuplicate(RecordBatch batch) {
            if (batch.producerEpoch() != epoch) {
                return Optional.empty();
            }
            return batches.stream()
                .filter(b -> b.firstSeq() == batch.baseSequence() && b.lastSeq() == batch.lastSequence())
                .findFirst();
        }

        ProducerEntry withBatch(short newEpoch, BatchMetadata batch) {
            List<BatchMetadata> list = new ArrayList<>(newEpoch == epoch ? batches : List.of());
            list.add(batch);
            if (list.size() > NUM_BATCHES_TO_RETAIN) {
                list.remove(0);
            }
            return new ProducerEntry(producerId, newEpoch, List.copyOf(list), Math.max(lastTimestamp, batch.timestamp()));
        }
    }

    private final Path dir;
    private final long producerIdExpirationMs;
    private final Map<Long, ProducerEntry> producers = new ConcurrentHashMap<>();
    private final TreeMap<Long, Path> snapshots = new TreeMap<>();
    /** The offset up to which (exclusive) the table reflects the log. */
    private volatile long mapEndOffset;

    ProducerStateTable(Path dir, long producerIdExpirationMs) throws IOException {
        this.dir = dir;
        this.producerIdExpirationMs = producerIdExpirationMs;
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().endsWith(SNAPSHOT_SUFFIX))
                .forEach(p -> {
                    String name = p.getFileName().toString();
                    try {
                        snapshots.put(Long.parseLong(name.substring(0, name.length() - SNAPSHOT_SUFFIX.length())), p);
                    } catch (NumberFormatException e) {
                        // not ours: leave it alone
                    }
                });
        }
    }

    /** The state of one producer, if it has written to this partition and has not expired. */
    public Optional<ProducerEntry> lastEntry(long producerId) {
        return Optional.ofNullable(producers.get(producerId));
    }

    /** Every live producer, by id. */
    public Map<Long, ProducerEntry> activeProducers() {
        return Collections.unmodifiableMap(new TreeMap<>(producers));
    }

    public long mapEndOffset() {
        return mapEndOffset;
    }

    /**
     * Checks a leader append before anything is written: the epochs and sequences of its
     * idempotent batches, in order. Works on a scratch view, so a failed check changes nothing.
     *
     * @return the original batch if the first idempotent batch is a retry of one still
     *     remembered (the whole append is then a duplicate), else empty
     * @throws InvalidProducerEpochException a batch's epoch is older than the producer's
     * @throws OutOfOrderSequenceException a gap in the sequence, or a new epoch not starting at 0
     */
    Optional<BatchMetadata> checkLeaderAppend(List<? extends RecordBatch> batches, TopicPartition partition) {
        Map<Long, short[]> epochs = null;
        Map<Long, int[]> lastSeqs = null;
        boolean first = true;
        for (RecordBatch batch : batches) {
            if (!batch.hasProducerId()) {
                continue;
            }
            if (epochs == null) {
                epochs = new HashMap<>();
                lastSeqs = new HashMap<>();
            }
            long pid = batch.producerId();
            ProducerEntry current = producers.get(pid);
            if (first && current != null) {
                Optional<BatchMetadata> duplicate = current.findDuplicate(batch);
                if (duplicate.isPresent()) {
                    return duplicate;
                }
            }
            first = false;
            short currentEpoch = epochs.containsKey(pid) ? epochs.get(pid)[0]
                : current == null ? RecordBatch.NO_PRODUCER_EPOCH : current.epoch();
            int currentLastSeq = lastSeqs.containsKey(pid) ? lastSeqs.get(pid)[0]
                : current == null ? RecordBatch.NO_SEQUENCE : current.lastSeq();
            checkEpochAndSequence(batch, currentEpoch, currentLastSeq, partition);
            epochs.put(pid, new short[] {batch.producerEpoch()});
            lastSeqs.put(pid, new int[] {batch.lastSequence()});
        }
        return Optional.empty();
    }

    private static void checkEpochAndSequence(RecordBatch batch, short currentEpoch, int currentLastSeq,
                                              TopicPartition partition) {
        short epoch = batch.producerEpoch();
        int firstSeq = batch.baseSequence();
        if (epoch < currentEpoch) {
            throw new InvalidProducerEpochException("Epoch of producer " + batch.producerId() + " in " + partition
                + " is " + epoch + ", which is smaller than the last seen epoch " + currentEpoch);
        }
        if (epoch != currentEpoch) {
            if (firstSeq != 0 && currentEpoch != RecordBatch.NO_PRODUCER_EPOCH) {
                throw new OutOfOrderSequenceException("Invalid sequence number for new epoch of producer "
                    + batch.producerId() + " in " + partition + ": " + epoch + " (request epoch), " + firstSeq
                    + " (seq. number), " + currentEpoch + " (current producer epoch)");
            }
        } else if (currentLastSeq != RecordBatch.NO_SEQUENCE && !inSequence(currentLastSeq, firstSeq)) {
            throw new OutOfOrderSequenceException("Out of order sequence number for producer " + batch.producerId()
                + " in " + partition + ": " + firstSeq + " (incoming seq. number), " + currentLastSeq
                + " (current end sequence number)");
        }
    }

    private static boolean inSequence(int lastSeq, int nextSeq) {
        return nextSeq == lastSeq + 1L || (nextSeq == 0 && lastSeq == Integer.MAX_VALUE);
    }

    /**
     * Records a batch that is now in the log (offsets assigned). Used by leader appends after
     * {@link #checkLeaderAppend}, by follower appends and by recovery, which never reject.
     */
    void update(RecordBatch batch) {
        if (batch.hasProducerId() && !batch.isControlBatch()) {
            long pid = batch.producerId();
            ProducerEntry current = producers.get(pid);
            if (current == null) {
                current = new ProducerEntry(pid, batch.producerEpoch(), List.of(), batch.maxTimestamp());
            }
            if (batch.producerEpoch() >= current.epoch()) {
                int count = (int) (batch.lastOffset() - batch.baseOffset());
                BatchMetadata meta = new BatchMetadata(batch.baseSequence(),
                    DefaultRecordBatch.incrementSequence(batch.baseSequence(), count),
                    batch.baseOffset(), batch.lastOffset(), batch.maxTimestamp());
                producers.put(pid, current.withBatch(batch.producerEpoch(), meta));
            }
        }
        mapEndOffset = Math.max(mapEndOffset, batch.nextOffset());
    }

    /** Marks the table as reflecting the log up to {@code offset} (exclusive). */
    void updateMapEndOffset(long offset) {
        mapEndOffset = offset;
    }

    /** Forgets producers whose last write is older than {@code producer.id.expiration.ms}. */
    void removeExpiredProducers(long nowMs) {
        producers.values().removeIf(e -> nowMs - e.lastTimestamp() >= producerIdExpirationMs);
    }

    /**
     * Writes {@code <mapEndOffset>.snapshot} (atomically: a temp file renamed) unless it exists.
     *
     * @param sync fsync it before the rename; without, a crash may leave a snapshot that fails
     *     its CRC, which loading deletes before falling back to an older one and replaying the
     *     log, so a roll can snapshot without waiting on the disk and {@link #fsyncSnapshot} later
     */
    void takeSnapshot(boolean sync) throws IOException {
        long offset = mapEndOffset;
        if (snapshots.containsKey(offset)) {
            return;
        }
        List<ProducerEntry> entries = new ArrayList<>(producers.values());
        ByteBuffer buffer = ByteBuffer.allocate(ENTRIES_OFFSET + 4 + entries.size() * ENTRY_SIZE);
        buffer.putShort(SNAPSHOT_VERSION);
        buffer.putInt(0);
        buffer.putInt(entries.size());
        for (ProducerEntry e : entries) {
            BatchMetadata last = e.batches().isEmpty() ? null : e.batches().get(e.batches().size() - 1);
            buffer.putLong(e.producerId())
                .putShort(e.epoch())
                .putInt(last == null ? RecordBatch.NO_SEQUENCE : last.lastSeq())
                .putLong(last == null ? -1L : last.lastOffset())
                .putInt(last == null ? 0 : (int) (last.lastOffset() - last.firstOffset()))
                .putLong(e.lastTimestamp())
                .putInt(-1)
                .putLong(-1L);
        }
        long crc = Crc32C.compute(buffer.array(), ENTRIES_OFFSET, buffer.capacity() - ENTRIES_OFFSET);
        buffer.putInt(2, (int) crc);
        Path file = snapshotFile(offset);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, buffer.array());
        if (sync) {
            fsync(tmp);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        synchronized (snapshots) {
            snapshots.put(offset, file);
        }
    }

    /** Fsyncs the snapshot at {@code offset}, if it is still there (background work after a roll). */
    void fsyncSnapshot(long offset) throws IOException {
        Path file;
        synchronized (snapshots) {
            file = snapshots.get(offset);
        }
        if (file != null) {
            try {
                fsync(file);
                CheckpointFile.fsyncDirectory(dir);
            } catch (NoSuchFileException e) {
                // deleted meanwhile (truncation or retention): nothing to make durable
            }
        }
    }

    private static void fsync(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    Path snapshotFile(long offset) {
        return dir.resolve(LogSegment.filenamePrefix(offset) + SNAPSHOT_SUFFIX);
    }

    /**
     * Replaces the table with the latest readable snapshot at or below {@code maxOffset}, deleting
     * snapshots above it and unreadable ones.
     *
     * @return the snapshot's offset (replay the log from there), or empty: start from scratch
     */
    Optional<Long> loadLatestSnapshot(long maxOffset) throws IOException {
        producers.clear();
        mapEndOffset = 0;
        deleteSnapshotsAbove(maxOffset);
        while (!snapshots.isEmpty()) {
            Map.Entry<Long, Path> latest = snapshots.lastEntry();
            try {
                for (ProducerEntry e : readSnapshot(latest.getValue())) {
                    producers.put(e.producerId(), e);
                }
                mapEndOffset = latest.getKey();
                return Optional.of(latest.getKey());
            } catch (CorruptRecordException | IOException e) {
                LogRecoveryMessages.corruptSnapshot(latest.getValue(), e);
                producers.clear();
                Files.deleteIfExists(latest.getValue());
                snapshots.remove(latest.getKey());
            }
        }
        return Optional.empty();
    }

    private static List<ProducerEntry> readSnapshot(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < ENTRIES_OFFSET + 4) {
            throw new CorruptRecordException("snapshot " + file + " is too short");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        short version = buffer.getShort();
        if (version != SNAPSHOT_VERSION) {
            throw new CorruptRecordException("snapshot " + file + " has unknown version " + version);
        }
        long crc = buffer.getInt() & 0xffffffffL;
        long computed = Crc32C.compute(bytes, ENTRIES_OFFSET, bytes.length - ENTRIES_OFFSET);
        if (crc != computed) {
            throw new CorruptRecordException("snapshot " + file + " fails its CRC");
        }
        int count = buffer.getInt();
        if (count < 0 || count * (long) ENTRY_SIZE != buffer.remaining()) {
            throw new CorruptRecordException("snapshot " + file + " declares " + count + " entries");
        }
        List<ProducerEntry> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long pid = buffer.getLong();
            short epoch = buffer.getShort();
            int lastSeq = buffer.getInt();
            long lastOffset = buffer.getLong();
            int offsetDelta = buffer.getInt();
            long timestamp = buffer.getLong();
            buffer.getInt();
            buffer.getLong();
            List<BatchMetadata> batches = lastOffset < 0 ? List.of() : List.of(new BatchMetadata(
                DefaultRecordBatch.decrementSequence(lastSeq, offsetDelta), lastSeq,
                lastOffset - offsetDelta, lastOffset, timestamp));
            out.add(new ProducerEntry(pid, epoch, batches, timestamp));
        }
        return out;
    }

    /** Deletes snapshots above {@code offset} (the log was truncated there). */
    void deleteSnapshotsAbove(long offset) throws IOException {
        synchronized (snapshots) {
            for (Map.Entry<Long, Path> e : new ArrayList<>(snapshots.tailMap(offset, false).entrySet())) {
                Files.deleteIfExists(e.getValue());
                snapshots.remove(e.getKey());
            }
        }
    }

    /** Deletes snapshots below {@code offset}, keeping the latest one below it (segments were deleted). */
    void deleteSnapshotsBefore(long offset) throws IOException {
        synchronized (snapshots) {
            Long keep = snapshots.floorKey(offset);
            for (Map.Entry<Long, Path> e : new ArrayList<>(snapshots.headMap(offset, false).entrySet())) {
                if (!e.getKey().equals(keep)) {
                    Files.deleteIfExists(e.getValue());
                    snapshots.remove(e.getKey());
                }
            }
        }
    }

    /** Forgets everything and deletes every snapshot (the log was truncated fully). */
    void clear(long newStartOffset) throws IOException {
        producers.clear();
        deleteSnapshotsAbove(-1);
        mapEndOffset = newStartOffset;
    }
}
