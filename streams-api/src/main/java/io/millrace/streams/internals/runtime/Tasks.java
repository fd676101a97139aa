package io.millrace.streams.internals.runtime;

import io.millrace.streams.internals.processor.StandbyTask;
import io.millrace.streams.internals.processor.StreamTask;
import io.millrace.streams.processor.TaskId;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * The tasks one stream thread holds: active tasks (restoring or running) with an index by input
 * partition, standbys, and tasks assigned here whose state directory is not free yet (its
 * previous owner, maybe another thread of this instance, has not closed it).
 *
 * <p>Iteration is in task id order, so processing and logs are deterministic.
 *
 * <p>Threading: its stream thread only.
 */
final class Tasks {
  private final Map<TaskId, StreamTask> active = new TreeMap<>();
  private final Map<TopicPartition, StreamTask> byPartition = new HashMap<>();
  private final Map<TaskId, StandbyTask> standbys = new TreeMap<>();
  private final Map<TaskId, Set<TopicPartition>> pendingActive = new TreeMap<>();
  private final Set<TaskId> pendingStandby = new TreeSet<>();

  // ---- active tasks ----

  void addActive(StreamTask t) {
    active.put(t.id(), t);
    t.inputPartitions().forEach(tp -> byPartition.put(tp, t));
  }

  /** Removes an active task (and its partitions from the index); null if it is not here. */
  StreamTask removeActive(TaskId id) {
    StreamTask t = active.remove(id);
    if (t != null) {
      t.inputPartitions().forEach(byPartition::remove);
    }
    return t;
  }

  StreamTask active(TaskId id) {
    return active.get(id);
  }

  Collection<StreamTask> active() {
    return Collections.unmodifiableCollection(active.values());
  }

  /** The active task reading {@code tp}, or null. */
  StreamTask byPartition(TopicPartition tp) {
    return byPartition.get(tp);
  }

  // ---- active tasks waiting for their directory ----

  void addPendingActive(TaskId id, Set<TopicPartition> inputs) {
    pendingActive.put(id, Set.copyOf(inputs));
  }

  /** Removes a pending active task; returns its input partitions, or null if it was not pending. */
  Set<TopicPartition> removePendingActive(TaskId id) {
    return pendingActive.remove(id);
  }

  Map<TaskId, Set<TopicPartition>> pendingActive() {
    return Collections.unmodifiableMap(pendingActive);
  }

  /** Active tasks, running, restoring or pending: the ones whose input partitions this thread owns. */
  Set<TaskId> ownedActiveIds() {
    Set<TaskId> ids = new TreeSet<>(active.keySet());
    ids.addAll(pendingActive.keySet());
    return ids;
  }

  /** The owned active tasks (running, restoring or pending) that read any of {@code partitions}. */
  Set<TaskId> activeIdsReading(Collection<TopicPartition> partitions) {
    Set<TaskId> ids = new TreeSet<>();
    for (TopicPartition tp : partitions) {
      StreamTask t = byPartition.get(tp);
      if (t != null) {
        ids.add(t.id());
      }
    }
    pendingActive.forEach((id, inputs) -> {
      if (!Collections.disjoint(inputs, partitions)) {
        ids.add(id);
      }
    });
    return ids;
  }

  // ---- standbys ----

  void addStandby(StandbyTask sb) {
    standbys.put(sb.id(), sb);
  }

  StandbyTask removeStandby(TaskId id) {
    return standbys.remove(id);
  }

  Collection<StandbyTask> standbys() {
    return Collections.unmodifiableCollection(standbys.values());
  }

  void addPendingStandby(TaskId id) {
    pendingStandby.add(id);
  }

  boolean removePendingStandby(TaskId id) {
    return pendingStandby.remove(id);
  }

  Set<TaskId> pendingStandby() {
    return Collections.unmodifiableSet(pendingStandby);
  }

  /** Standbys, open or pending. */
  Set<TaskId> standbyIds() {
    Set<TaskId> ids = new TreeSet<>(standbys.keySet());
    ids.addAll(pendingStandby);
    return ids;
  }

  boolean hasStandbys() {
    return !standbys.isEmpty();
  }
}
