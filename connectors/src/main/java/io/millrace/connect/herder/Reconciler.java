package io.millrace.connect.herder;

import io.millrace.connect.runtime.ConnectorConfig;
import io.millrace.connect.runtime.Plugins;
import io.millrace.connect.runtime.TaskId;
import io.millrace.connect.runtime.Worker;
import io.millrace.connect.runtime.WorkerTask;
import io.millrace.connect.storage.ClusterConfigState;
import io.millrace.connect.storage.ConfigStore;
import io.millrace.connect.storage.OffsetStore;
import io.millrace.connect.storage.RestartRequest;
import io.millrace.connect.storage.StatusStore;
import io.millrace.connect.storage.StatusStore.State;
import io.millrace.connect.storage.TargetState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import org.apache.kafka.connect.connector.Connector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps what runs on this worker in line with the config log and the worker's assignment: it
 * starts, stops, pauses, resumes and restarts the assigned connectors and tasks, and writes the
 * task configs its connectors generate. A connector whose class cannot be loaded, or that
 * fails, stays FAILED until restarted or reconfigured.
 *
 * <p>Confined to the herder thread: every method but {@link #connectorsHere} and {@link
 * #connectorCount} runs on it. Connectors call back from their own threads through {@link
 * WorkerConnector.Callbacks}; those calls are queued to the herder thread.
 */
final class Reconciler implements WorkerConnector.Callbacks {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  private final ConfigStore configs;
  private final StatusStore statuses;
  private final OffsetStore offsets;
  private final Plugins plugins;
  private final Worker worker;
  private final StatusReporter status;
  private final Executor herderThread;
  private final Runnable requestRebalance;

  private WorkAssignment assignment;
  private final Map<String, WorkerConnector> connectors = new HashMap<>();
  private final Map<String, Map<String, String>> failedConnectors = new HashMap<>();
  private final Map<TaskId, Map<String, String>> taskConnectorProps = new HashMap<>();
  private volatile Set<String> connectorsHere = Set.of();
  private volatile int connectorCount;

  Reconciler(ConfigStore configs, StatusStore statuses, OffsetStore offsets, Plugins plugins,
      Worker worker, StatusReporter status, Executor herderThread, Runnable requestRebalance) {
    this.configs = configs;
    this.statuses = statuses;
    this.offsets = offsets;
    this.plugins = plugins;
    this.worker = worker;
    this.status = status;
    this.herderThread = herderThread;
    this.requestRebalance = requestRebalance;
  }

  /** The connectors this worker runs, failed ones included, or is still stopping (any thread). */
  Set<String> connectorsHere() {
    return connectorsHere;
  }

  /** How many connectors run here (any thread). */
  int connectorCount() {
    return connectorCount;
  }

  /** Runs what {@code a} assigns to this worker from now on. */
  void assign(WorkAssignment a) {
    assignment = a;
    reconcile();
  }

  /**
   * Brings what runs here in line with the latest config and the assignment; asks for a new
   * assignment when the config's shape (connectors, task counts) is not the one assigned from.
   */
  void reconcile() {
    if (assignment == null) {
      return;
    }
    ClusterConfigState s = configs.snapshot();
    Set<String> wanted = new HashSet<>(assignment.connectors());
    wanted.retainAll(s.connectorConfigs().keySet());
    for (String name : new ArrayList<>(connectors.keySet())) {
      if (!wanted.contains(name) || !connectors.get(name).props.equals(config(s, name))) {
        stopConnector(name);
      }
    }
    failedConnectors.keySet().removeIf(
        name -> !wanted.contains(name) || !failedConnectors.get(name).equals(config(s, name)));
    for (String name : wanted) {
      WorkerConnector wc = connectors.get(name);
      if (wc == null && !failedConnectors.containsKey(name)) {
        startConnector(name, config(s, name), s.targetState(name));
      } else if (wc != null && !wc.failed && wc.target != s.targetState(name)) {
        wc.target = s.targetState(name);
        applyTargetState(wc);
      }
    }
    reconcileTasks(s);
    refreshConnectorsHere();
    if (!Assignor.shape(s).equals(assignment.shape())) {
      requestRebalance.run();
    }
  }

  private static Map<String, String> config(ClusterConfigState s, String connector) {
    return s.connectorConfigs().get(connector);
  }

  private void refreshConnectorsHere() {
    Set<String> names = new HashSet<>(connectors.keySet());
    names.addAll(failedConnectors.keySet());
    connectorsHere = Set.copyOf(names);
    connectorCount = connectors.size();
  }

  /** Stops the tasks whose config changed or that left, starts the assigned ones missing. */
  private void reconcileTasks(ClusterConfigState s) {
    Map<TaskId, Map<String, String>> desired = desiredTasks(s);
    Set<TaskId> stop = new HashSet<>();
    for (TaskId id : worker.runningTasks()) {
      WorkerTask task = worker.task(id);
      if (!desired.containsKey(id) || task == null || !desired.get(id).equals(task.taskProps())
          || !config(s, id.connector()).equals(taskConnectorProps.get(id))) {
        stop.add(id);
      }
    }
    worker.stopTasks(stop);
    stop.forEach(taskConnectorProps::remove);
    for (Map.Entry<TaskId, Map<String, String>> e : desired.entrySet()) {
      TaskId id = e.getKey();
      TargetState target = s.targetState(id.connector());
      if (worker.task(id) == null) {
        Map<String, String> connectorProps = config(s, id.connector());
        taskConnectorProps.put(id, connectorProps);
        worker.startTask(id, connectorProps, e.getValue(), target);
      } else {
        worker.setTargetState(id, target);
      }
    }
  }

  /** The assigned tasks that have a config and whose connector is not stopped. */
  private Map<TaskId, Map<String, String>> desiredTasks(ClusterConfigState s) {
    Map<TaskId, Map<String, String>> desired = new LinkedHashMap<>();
    for (TaskId t : assignment.tasks()) {
      if (!s.contains(t.connector()) || s.targetState(t.connector()) == TargetState.STOPPED) {
        continue;
      }
      List<Map<String, String>> cfgs = s.tasks(t.connector());
      if (t.task() < cfgs.size()) {
        desired.put(t, cfgs.get(t.task()));
      }
    }
    return desired;
  }

  private void startConnector(String name, Map<String, String> props, TargetState target) {
    Connector c;
    try {
      c = plugins.newConnector(props.get(ConnectorConfig.CONNECTOR_CLASS));
    } catch (RuntimeException e) {
      LOG.error("Cannot instantiate connector {}", name, e);
      failedConnectors.put(name, props);
      status.onConnectorState(name, State.FAILED, e);
      return;
    }
    WorkerConnector wc = new WorkerConnector(name, props, c, Plugins.isSink(c), target, this,
        offsets);
    connectors.put(name, wc);
    applyTargetState(wc);
  }

  private void applyTargetState(WorkerConnector wc) {
    try {
      switch (wc.target) {
        case STARTED -> {
          if (!wc.started) {
            wc.start();
            LOG.info("Started connector {}", wc.name);
          }
          status.onConnectorState(wc.name, State.RUNNING, null);
          reconfigureTasks(wc.name);
        }
        case PAUSED -> {
          wc.stop();
          status.onConnectorState(wc.name, State.PAUSED, null);
        }
        case STOPPED -> {
          wc.stop();
          status.onConnectorState(wc.name, State.STOPPED, null);
          if (!configs.snapshot().tasks(wc.name).isEmpty()) {
            writeTaskConfigs(wc.name, List.of());
          }
        }
      }
    } catch (RuntimeException e) {
      failConnector(wc, e);
    }
  }

  private void failConnector(WorkerConnector wc, Throwable e) {
    LOG.error("Connector {} failed; it stays FAILED until restarted", wc.name, e);
    wc.failed = true;
    try {
      wc.stop();
    } catch (RuntimeException stopError) {
      LOG.warn("Connector {} failed to stop", wc.name, stopError);
    }
    status.onConnectorState(wc.name, State.FAILED, e);
  }

  private void stopConnector(String name) {
    WorkerConnector wc = connectors.remove(name);
    if (wc == null) {
      return;
    }
    try {
      wc.stop();
      LOG.info("Stopped connector {}", name);
    } catch (RuntimeException e) {
      LOG.warn("Connector {} failed to stop", name, e);
    } finally {
      wc.close();
    }
    if (!wc.failed) {
      status.onConnectorState(name, State.UNASSIGNED, null);
    }
  }

  /** Asks a running connector for its task configs and writes them when they changed. */
  private void reconfigureTasks(String name) {
    WorkerConnector wc = connectors.get(name);
    if (wc == null || !wc.started || wc.failed) {
      return;
    }
    int max = Integer.parseInt(wc.props.getOrDefault(ConnectorConfig.TASKS_MAX, "1"));
    List<Map<String, String>> generated;
    try {
      generated = wc.connector.taskConfigs(max);
    } catch (RuntimeException e) {
      failConnector(wc, e);
      return;
    }
    List<Map<String, String>> cfgs = new ArrayList<>();
    for (Map<String, String> g : generated.subList(0, Math.min(max, generated.size()))) {
      Map<String, String> t = new LinkedHashMap<>(g);
      t.put("task.class", wc.connector.taskClass().getName());
      cfgs.add(t);
    }
    if (!cfgs.equals(configs.snapshot().tasks(name))) {
      writeTaskConfigs(name, cfgs);
    }
  }

  private void writeTaskConfigs(String name, List<Map<String, String>> cfgs) {
    int previous = configs.snapshot().tasks(name).size();
    configs.putTaskConfigs(name, cfgs).whenComplete((v, e) -> {
      if (e != null) {
        LOG.error("Could not write task configs of {}", name, e);
      } else if (cfgs.size() < previous) {
        statuses.removeTasksFrom(name, cfgs.size());
      }
    });
  }

  /** Carries out an operator's restart request for what of it runs here. */
  void restart(RestartRequest r) {
    if (assignment == null || !configs.snapshot().contains(r.connector())) {
      return;
    }
    if (!r.forConnector()) {
      TaskId id = new TaskId(r.connector(), r.task());
      if (worker.task(id) != null) {
        restartTask(id);
      }
      return;
    }
    maybeRestartConnector(r.connector(), r.onlyFailed());
    if (r.includeTasks()) {
      for (TaskId id : worker.runningTasks()) {
        WorkerTask t = worker.task(id);
        if (id.connector().equals(r.connector())
            && (!r.onlyFailed() || (t != null && t.failed()))) {
          restartTask(id);
        }
      }
    }
  }

  private void maybeRestartConnector(String name, boolean onlyFailed) {
    if (!assignment.connectors().contains(name)) {
      return;
    }
    WorkerConnector wc = connectors.get(name);
    boolean failed = wc == null ? failedConnectors.containsKey(name) : wc.failed;
    if (!onlyFailed || failed) {
      stopConnector(name);
      failedConnectors.remove(name);
      status.onConnectorState(name, State.RESTARTING, null);
      ClusterConfigState s = configs.snapshot();
      startConnector(name, config(s, name), s.targetState(name));
    }
  }

  private void restartTask(TaskId id) {
    worker.stopTask(id);
    taskConnectorProps.remove(id);
    status.onTaskState(id, State.RESTARTING, null);
    reconcileTasks(configs.snapshot());
  }

  /** Stops every connector (the worker is closing; its tasks are stopped already). */
  void stopAll() {
    for (String name : new ArrayList<>(connectors.keySet())) {
      stopConnector(name);
    }
  }

  @Override
  public void requestTaskReconfiguration(String connector) {
    herderThread.execute(() -> reconfigureTasks(connector));
  }

  @Override
  public void raiseError(String connector, Exception e) {
    herderThread.execute(() -> {
      WorkerConnector wc = connectors.get(connector);
      if (wc != null) {
        failConnector(wc, e);
      }
    });
  }
}
