package io.millrace.streams.internals.runtime;

import io.millrace.streams.internals.processor.StandbyTask;
import io.millrace.streams.internals.processor.StreamTask;
import io.millrace.streams.processor.TaskId;
import io.millrace.streams.state.StateStore;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stores of a stream thread's running active tasks and standbys, as immutable snapshots for
 * interactive queries: the stream thread publishes a new snapshot whenever its tasks change,
 * any thread reads the latest.
 *
 * <p>Thread-safe: one writer (the stream thread), any readers.
 */
final class QueryableStores {
  private volatile Map<TaskId, Map<String, StateStore>> active = Map.of();
  private volatile Map<TaskId, Map<String, StateStore>> standby = Map.of();

  /** Publishes the stores of the running tasks and the standbys in {@code tasks} (stream thread). */
  void publish(Tasks tasks) {
    Map<TaskId, Map<String, StateStore>> a = new TreeMap<>();
    for (StreamTask t : tasks.active()) {
      if (t.state() == StreamTask.State.RUNNING) {
        a.put(t.id(), Collections.unmodifiableMap(new LinkedHashMap<>(t.stateManager().stores())));
      }
    }
    Map<TaskId, Map<String, StateStore>> s = new TreeMap<>();
    for (StandbyTask sb : tasks.standbys()) {
      s.put(sb.id(), Collections.unmodifiableMap(new LinkedHashMap<>(sb.stateManager().stores())));
    }
    active = Collections.unmodifiableMap(a);
    standby = Collections.unmodifiableMap(s);
  }

  /** Stores of running active tasks (and standbys where no active task of the id runs here). */
  Map<TaskId, Map<String, StateStore>> stores(boolean includeStandby) {
    if (!includeStandby) {
      return active;
    }
    Map<TaskId, Map<String, StateStore>> all = new TreeMap<>(active);
    standby.forEach(all::putIfAbsent);
    return all;
  }

  Map<TaskId, Map<String, StateStore>> runningActive() {
    return active;
  }

  Map<TaskId, Map<String, StateStore>> standbys() {
    return standby;
  }
}
