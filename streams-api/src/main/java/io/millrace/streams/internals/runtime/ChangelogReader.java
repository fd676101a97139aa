package io.millrace.streams.internals.runtime;

import io.millrace.streams.internals.processor.TaskStateManager;
import io.millrace.streams.processor.TaskId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays changelogs into stores with the thread's restore consumer (no group; partitions
 * assigned by hand). An active task restores from its checkpoint (or the beginning) to the end
 * offset found when it registered, then starts processing; a standby keeps reading for as long
 * as it lives.
 *
 * <p>Threading: its stream thread only.
 */
final class ChangelogReader {
  private static final Logger log = LoggerFactory.getLogger(ChangelogReader.class);

  private final Consumer<byte[], byte[]> consumer;
  private final ThreadMetrics metrics;
  private final Map<TopicPartition, Entry> entries = new HashMap<>();
  private boolean assignmentChanged;

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
   * Reads what is available (waiting at most {@code timeout}) and applies it; returns the
   * active tasks whose changelogs are now fully restored.
   */
  Set<TaskId> restore(Duration timeout) {
    maybeReassign();
    Set<TaskId> done = new HashSet<>();
    if (entries.isEmpty()) {
      metrics.restoreRemaining(0);
      return done;
    }
    ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
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
    Set<TaskId> activeTasks = new HashSet<>();
    Set<TaskId> unfinished = new HashSet<>();
    long remaining = 0;
    for (Map.Entry<TopicPartition, Entry> me : entries.entrySet()) {
      Entry e = me.getValue();
      if (e.standby) {
        e.stateManager.markRestored(me.getKey(), consumer.position(me.getKey()));
        continue;
      }
      activeTasks.add(e.task);
      long position = consumer.position(me.getKey());
      if (position >= e.endOffset) {
        e.stateManager.markRestored(me.getKey(), Math.min(position, e.endOffset));
      } else {
        unfinished.add(e.task);
        remaining += e.endOffset - position;
      }
    }
    metrics.restoreRemaining(remaining);
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

  private void maybeReassign() {
    if (!assignmentChanged) {
      return;
    }
    assignmentChanged = false;
    consumer.assign(new ArrayList<>(entries.keySet()));
    List<TopicPartition> needEnd = new ArrayList<>();
    List<TopicPartition> fromStart = new ArrayList<>();
    for (Map.Entry<TopicPartition, Entry> me : entries.entrySet()) {
      Entry e = me.getValue();
      if (!e.fresh) {
        continue;
      }
      e.fresh = false;
      long start = e.stateManager.restoreStartOffset(me.getKey());
      if (start >= 0) {
        consumer.seek(me.getKey(), start);
      } else {
        fromStart.add(me.getKey());
      }
      if (!e.standby) {
        needEnd.add(me.getKey());
      }
    }
    if (!fromStart.isEmpty()) {
      consumer.seekToBeginning(fromStart);
    }
    if (!needEnd.isEmpty()) {
      consumer.endOffsets(needEnd).forEach((tp, end) -> entries.get(tp).endOffset = end);
    }
  }
}
