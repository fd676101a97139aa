package io.millrace.streams.internals.runtime;

import io.millrace.streams.internals.processor.TaskStateManager;
import io.millrace.streams.processor.TaskId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays changelogs into stores with the thread's restore consumer (no group; partitions
 * assigned by hand). An active task restores from its checkpoint (or the beginning) to the end
 * offset found when it registered, then starts processing; a standby keeps reading for as long
 * as it lives.
 *
 * <p>A checkpoint is only trusted if it lies within the changelog partition's offsets: one beyond
 * the end (a new broker, a deleted and recreated changelog) or before the log start (a truncated
 * changelog) means the local store no longer matches the changelog, and so does a restore
 * position that falls out of range while reading. As in Kafka Streams such a task is reported
 * corrupted (and dropped from here): the caller wipes the stores of those changelogs and
 * restores them from the beginning.
 *
 * <p>Threading: its stream thread only.
 */
final class ChangelogReader {
  private static final Logger log = LoggerFactory.getLogger(ChangelogReader.class);
  private static final Comparator<TopicPartition> TOPIC_PARTITION_ORDER =
      Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

  private final Consumer<byte[], byte[]> consumer;
  private final ThreadMetrics metrics;
  private final Map<TopicPartition, Entry> entries = new HashMap<>();
  private boolean assignmentChanged;

  /**
   * What one call of {@link #restore} achieved: active tasks now fully restored, and tasks whose
   * changelogs (given) turned out not to match their local state.
   */
  record Progress(Set<TaskId> restored, Map<TaskId, Set<TopicPartition>> corrupted) {}

  private static final class Entry {
    final TaskId task;
    final TaskStateManager stateManager;
    final boolean standby;
    long endOffset = -1;
    boolean fresh = true;
    long restored;

    Entry(TaskId task, TaskStateManager stateManager, boolean standby) {
      this.task = task;
      this.stateManager = stateManager;
      this.standby = standby;
    }
  }

  ChangelogReader(Consumer<byte[], byte[]> consumer, ThreadMetrics metrics) {
    this.consumer = consumer;
    this.metrics = metrics;
  }

  void register(TaskId task, TaskStateManager sm, boolean standby) {
    for (TopicPartition tp : sm.changelogPartitions()) {
      entries.put(tp, new Entry(task, sm, standby));
      assignmentChanged = true;
    }
  }

  void unregister(TaskId task) {
    if (entries.values().removeIf(e -> e.task.equals(task))) {
      assignmentChanged = true;
      if (!hasActiveRestoration()) {
        metrics.restoreRemaining(0);
      }
    }
  }

  boolean hasActiveRestoration() {
    return entries.values().stream().anyMatch(e -> !e.standby);
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  /** True if the task has changelogs still being restored here. */
  boolean restoring(TaskId task) {
    return entries.values().stream().anyMatch(e -> !e.standby && e.task.equals(task));
  }

  /**
   * Reads what is available (waiting at most {@code timeout}) and applies it; reports the active
   * tasks whose changelogs are now fully restored and the tasks found corrupted. Both kinds are
   * no longer registered here afterwards.
   */
  Progress restore(Duration timeout) {
    Map<TaskId, Set<TopicPartition>> corrupted = new TreeMap<>();
    maybeReassign(corrupted);
    if (entries.isEmpty()) {
      metrics.restoreRemaining(0);
      return new Progress(Set.of(), corrupted);
    }
    ConsumerRecords<byte[], byte[]> records;
    try {
      records = consumer.poll(timeout);
    } catch (InvalidOffsetException e) {
      log.warn("Restoring {}: the position fell out of the changelog's offsets (truncated or recreated);"
          + " those stores will be wiped and restored from the beginning", e.partitions());
      e.partitions().forEach(tp -> markCorrupted(tp, corrupted));
      dropTasks(corrupted.keySet());
      return new Progress(Set.of(), corrupted);
    }
    apply(records);
    return new Progress(completedTasks(), corrupted);
  }

  private void apply(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition tp : records.partitions()) {
      Entry e = entries.get(tp);
      if (e == null) {
        continue;
      }
      List<ConsumerRecord<byte[], byte[]>> batch = records.records(tp);
      List<ConsumerRecord<byte[], byte[]>> apply = new ArrayList<>(batch.size());
      for (ConsumerRecord<byte[], byte[]> r : batch) {
        if (e.standby || r.offset() < e.endOffset) {
          apply.add(r);
        }
      }
      e.stateManager.restore(tp, apply);
      e.restored += apply.size();
      metrics.restored(apply.size());
    }
  }

  /** Marks how far each changelog is read; returns (and unregisters) the active tasks now restored. */
  private Set<TaskId> completedTasks() {
    Set<TaskId> activeTasks = new HashSet<>();
    Set<TaskId> unfinished = new HashSet<>();
    long remaining = 0;
    for (Map.Entry<TopicPartition, Entry> me : entries.entrySet()) {
      Entry e = me.getValue();
      long position = consumer.position(me.getKey());
      if (e.standby) {
        e.stateManager.markRestored(me.getKey(), position);
        continue;
      }
      activeTasks.add(e.task);
      if (position >= e.endOffset) {
        e.stateManager.markRestored(me.getKey(), Math.min(position, e.endOffset));
      } else {
        unfinished.add(e.task);
        remaining += e.endOffset - position;
      }
    }
    metrics.restoreRemaining(remaining);
    Set<TaskId> done = new TreeSet<>();
    for (TaskId t : activeTasks) {
      if (!unfinished.contains(t)) {
        long n = entries.values().stream().filter(e -> e.task.equals(t)).mapToLong(e -> e.restored).sum();
        log.info("Task {}: restored {} changelog records", t, n);
        done.add(t);
        unregister(t);
      }
    }
    return done;
  }

  /**
   * After registrations changed: validates the new entries' start offsets against the
   * changelogs (reporting corrupted tasks), assigns the consumer and seeks the new entries.
   */
  private void maybeReassign(Map<TaskId, Set<TopicPartition>> corrupted) {
    if (!assignmentChanged) {
      return;
    }
    Map<TopicPartition, Long> fromCheckpoint = new HashMap<>();
    List<TopicPartition> needEnd = new ArrayList<>();
    for (Map.Entry<TopicPartition, Entry> me : entries.entrySet()) {
      Entry e = me.getValue();
      if (e.fresh) {
        long start = e.stateManager.restoreStartOffset(me.getKey());
        if (start >= 0) {
          fromCheckpoint.put(me.getKey(), start);
        }
        if (!e.standby) {
          needEnd.add(me.getKey());
        }
      }
    }
    Map<TopicPartition, Long> ends = endOffsets(fromCheckpoint, needEnd);
    validate(fromCheckpoint, ends, corrupted);
    dropTasks(corrupted.keySet());
    assignmentChanged = false;
    consumer.assign(new ArrayList<>(entries.keySet()));
    List<TopicPartition> fromStart = new ArrayList<>();
    for (Map.Entry<TopicPartition, Entry> me : entries.entrySet()) {
      Entry e = me.getValue();
      if (!e.fresh) {
        continue;
      }
      e.fresh = false;
      Long start = fromCheckpoint.get(me.getKey());
      if (start != null) {
        consumer.seek(me.getKey(), start);
      } else {
        fromStart.add(me.getKey());
      }
      if (!e.standby) {
        e.endOffset = ends.get(me.getKey());
      }
    }
    if (!fromStart.isEmpty()) {
      consumer.seekToBeginning(fromStart);
    }
  }

  private Map<TopicPartition, Long> endOffsets(Map<TopicPartition, Long> fromCheckpoint, List<TopicPartition> needEnd) {
    Set<TopicPartition> lookup = new HashSet<>(needEnd);
    lookup.addAll(fromCheckpoint.keySet());
    return lookup.isEmpty() ? Map.of() : consumer.endOffsets(lookup);
  }

  /** A start offset outside [log start, log end] means the local state belongs to another log. */
  private void validate(Map<TopicPartition, Long> fromCheckpoint, Map<TopicPartition, Long> ends,
      Map<TaskId, Set<TopicPartition>> corrupted) {
    if (fromCheckpoint.isEmpty()) {
      return;
    }
    Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(fromCheckpoint.keySet());
    fromCheckpoint.forEach((tp, start) -> {
      long first = beginnings.get(tp);
      long end = ends.get(tp);
      if (start < first || start > end) {
        log.warn("Task {}: local state of {} is at offset {}, outside the changelog's offsets [{}, {}]"
            + " (a new broker, or a recreated or truncated changelog); wiping it to restore from the beginning",
            entries.get(tp).task, tp, start, first, end);
        markCorrupted(tp, corrupted);
      }
    });
  }

  private void markCorrupted(TopicPartition tp, Map<TaskId, Set<TopicPartition>> corrupted) {
    Entry e = entries.get(tp);
    if (e != null) {
      corrupted.computeIfAbsent(e.task, k -> new TreeSet<>(TOPIC_PARTITION_ORDER)).add(tp);
    }
  }

  private void dropTasks(Set<TaskId> tasks) {
    tasks.forEach(this::unregister);
  }
}
