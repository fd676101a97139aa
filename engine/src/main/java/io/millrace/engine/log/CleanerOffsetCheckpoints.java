package io.millrace.engine.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where compaction stopped in each partition, kept per log directory in Kafka's
 * {@code cleaner-offset-checkpoint} file (the format of {@link LogManager}'s other offset
 * checkpoints: version, count, then {@code topic partition offset} lines), so that a restart
 * resumes cleaning at the first dirty offset instead of re-reading the whole log.
 *
 * <p>A log directory's file is read on first use and rewritten (atomically) on every change.
 * An unreadable file is logged and treated as empty: the next pass re-reads the log, which costs
 * time, never data.
 *
 * <p>Thread-safe: the cleaner threads, the log manager and truncating writers call it; every
 * method holds the instance's lock, so each file write reflects the state at that time.
 */
final class CleanerOffsetCheckpoints {
    private static final Logger LOG = LoggerFactory.getLogger(CleanerOffsetCheckpoints.class);
    static final String FILE_NAME = "cleaner-offset-checkpoint";
    private static final Comparator<TopicPartition> BY_TOPIC_AND_PARTITION =
        Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private final Map<Path, Map<TopicPartition, Long>> byLogDir = new HashMap<>();

    /** The first dirty offset recorded for {@code tp} in {@code logDir}, if any. */
    synchronized OptionalLong get(Path logDir, TopicPartition tp) {
        Long offset = entries(logDir).get(tp);
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    /**
     * Records that {@code log} is clean below {@code offset} (a pass finished there), unless it
     * was truncated since the pass read {@code truncationsBefore}: then records at or above the
     * truncation point may be new, and {@link #maybeTruncate} has the right value already. The
     * log's truncation runs {@link #maybeTruncate} after bumping its count, and both take this
     * lock, so one of the two always sees the other.
     *
     * @return false if the log was truncated meanwhile (nothing recorded)
     */
    synchronized boolean updateUnlessTruncated(Path logDir, PartitionLog log, long offset, long truncationsBefore) {
        if (log.truncationCount() != truncationsBefore) {
            return false;
        }
        Long previous = entries(logDir).put(log.topicPartition(), offset);
        if (previous == null || previous != offset) {
            write(logDir);
        }
        return true;
    }

    /**
     * The log was truncated to {@code offset}: a checkpoint above it would call the records
     * appended there later clean, so it comes down to {@code offset}.
     */
    synchronized void maybeTruncate(Path logDir, TopicPartition tp, long offset) {
        Map<TopicPartition, Long> entries = entries(logDir);
        Long current = entries.get(tp);
        if (current != null && current > offset) {
            entries.put(tp, offset);
            write(logDir);
        }
    }

    /** Forgets {@code tp} (its log is deleted). */
    synchronized void remove(Path logDir, TopicPartition tp) {
        if (entries(logDir).remove(tp) != null) {
            write(logDir);
        }
    }

    /**
     * Drops the entries of partitions that have no log in {@code logDir} (a deletion that crashed
     * before its checkpoint write), so a topic created again under the same name starts dirty.
     */
    synchronized void retainOnly(Path logDir, Set<TopicPartition> present) {
        if (entries(logDir).keySet().retainAll(present)) {
            write(logDir);
        }
    }

    private Map<TopicPartition, Long> entries(Path logDir) {
        return byLogDir.computeIfAbsent(logDir, this::read);
    }

    private Map<TopicPartition, Long> read(Path logDir) {
        Map<TopicPartition, Long> out = new TreeMap<>(BY_TOPIC_AND_PARTITION);
        try {
            for (Map.Entry<TopicPartition, Long> e : CheckpointFile.offsets(logDir.resolve(FILE_NAME)).read()) {
                out.put(e.getKey(), e.getValue());
            }
        } catch (IOException e) {
            LOG.warn("Ignoring unreadable {} (compacted logs will be cleaned from their start): {}",
                logDir.resolve(FILE_NAME), e.getMessage());
        }
        return out;
    }

    private void write(Path logDir) {
        List<Map.Entry<TopicPartition, Long>> entries = new ArrayList<>(byLogDir.get(logDir).entrySet());
        try {
            CheckpointFile.offsets(logDir.resolve(FILE_NAME)).write(entries);
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot write " + logDir.resolve(FILE_NAME), e);
        }
    }
}
