package io.millrace.connect.herder;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.connect.runtime.TaskId;
import io.millrace.connect.storage.StatusStore.State;
import java.util.HashMap;
import java.util.Map;

/**
 * The state of each connector and task this worker runs, as one series each whose {@code state}
 * label is the current state (value 1):
 *
 * <pre>
 *   millrace_connect_connector_state{worker,connector,state}
 *   millrace_connect_task_state{worker,connector,task,state}
 * </pre>
 *
 * A FAILED task keeps its series until it is restarted or leaves the worker, so a dashboard shows
 * it; a connector or task that leaves the worker ({@code UNASSIGNED}, {@code DESTROYED}) loses it.
 * {@code count by (state) (millrace_connect_task_state)} counts tasks by state across workers.
 * Thread-safe.
 */
final class StatusMetrics {

  private final MeterRegistry registry;
  private final String workerId;
  private final Map<String, Gauge> connectors = new HashMap<>();
  private final Map<TaskId, Gauge> tasks = new HashMap<>();

  StatusMetrics(MeterRegistry registry, String workerId) {
    this.registry = registry;
    this.workerId = workerId;
  }

  synchronized void connector(String name, State state) {
    remove(connectors.remove(name));
    if (present(state)) {
      connectors.put(name, Gauge.builder("millrace.connect.connector.state", () -> 1).tag("worker", workerId)
          .tag("connector", name).tag("state", state.name())
          .description("1 for a connector on this worker, labelled with its state").register(registry));
    }
  }

  synchronized void task(TaskId id, State state) {
    remove(tasks.remove(id));
    if (present(state)) {
      tasks.put(id, Gauge.builder("millrace.connect.task.state", () -> 1).tag("worker", workerId)
          .tag("connector", id.connector()).tag("task", Integer.toString(id.task())).tag("state", state.name())
          .description("1 for a task on this worker, labelled with its state").register(registry));
    }
  }

  /** Removes every series. */
  synchronized void close() {
    connectors.values().forEach(this::remove);
    tasks.values().forEach(this::remove);
    connectors.clear();
    tasks.clear();
  }

  private static boolean present(State state) {
    return state != State.UNASSIGNED && state != State.DESTROYED;
  }

  private void remove(Gauge gauge) {
    if (gauge != null) {
      registry.remove(gauge);
    }
  }
}
