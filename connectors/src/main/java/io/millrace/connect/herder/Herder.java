package io.millrace.connect.herder;

import io.millrace.connect.WorkerConfig;
import io.millrace.connect.runtime.ConnectorConfig;
import io.millrace.connect.runtime.Plugins;
import io.millrace.connect.runtime.StatusListener;
import io.millrace.connect.runtime.TaskId;
import io.millrace.connect.runtime.Worker;
import io.millrace.connect.runtime.WorkerTask;
import io.millrace.connect.storage.ClusterConfigState;
import io.millrace.connect.storage.ConfigStore;
import io.millrace.connect.storage.KeyValueLog;
import io.millrace.connect.storage.OffsetStore;
import io.millrace.connect.storage.RestartRequest;
import io.millrace.connect.storage.StatusStore;
import io.millrace.connect.storage.StatusStore.State;
import io.millrace.connect.storage.StatusStore.Status;
import io.millrace.connect.storage.TargetState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's brain: keeps what this worker runs in line with the config log and the group's
 * assignment, and answers the REST API.
 *
 * <p>Threading: every change to what runs here happens on one thread, {@code
 * millrace-connect-herder} (config changes, assignments, restarts, connector callbacks are all
 * queued to it). The REST-facing methods are blocking and thread-safe: they read immutable
 * snapshots and write to the stores, then wait (bounded by {@code worker.request.timeout.ms})
 * for the write to be read back; call them from worker threads, never an event loop.
 */
public final class Herder implements Membership.Callbacks, ConfigStore.Listener, StatusListener,
    WorkerConnector.Callbacks, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Herder.class);

  private final WorkerConfig config;
  private final Plugins plugins;
  private final String workerId;
  private final ConfigStore configs;
  private final OffsetStore offsets;
  private final StatusStore statuses;
  private final Worker worker;
  private final Membership membership;
  private final long requestTimeoutMs;
  private final ConnectorOperations operations;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "millrace-connect-herder");
    t.setDaemon(true);
    return t;
  });

  // Owned by the herder thread.
  private WorkAssignment assignment;
  private final Map<String, WorkerConnector> connectors = new HashMap<>();
  private final Map<String, Map<String, String>> failedConnectors = new HashMap<>();
  private final Map<TaskId, Map<String, String>> taskConnectorProps = new HashMap<>();
  private volatile long generation;
  private volatile WorkAssignment latest;
  private volatile java.util.Set<String> runningConnectors = java.util.Set.of();
  private long rejoinedGeneration = -1;
  private volatile boolean closing;
  private final io.micrometer.core.instrument.Counter rebalances;
  private final io.micrometer.core.instrument.MeterRegistry registry;
  private final List<io.micrometer.core.instrument.Meter> meters = new ArrayList<>();
  private final StatusMetrics statusMetrics;
  private final java.util.concurrent.atomic.AtomicInteger connectorCount =
      new java.util.concurrent.atomic.AtomicInteger();

  public Herder(WorkerConfig config, Plugins plugins, String workerId, KeyValueLog configLog,
      KeyValueLog offsetLog, KeyValueLog statusLog, Membership membership,
      io.micrometer.core.instrument.MeterRegistry registry) {
    this.config = config;
    this.plugins = plugins;
    this.workerId = workerId;
    this.configs = new ConfigStore(configLog, this);
    this.offsets = new OffsetStore(offsetLog);
    this.statuses = new StatusStore(statusLog);
    this.worker = new Worker(config, plugins, offsets, this, registry);
    this.registry = registry;
    this.statusMetrics = new StatusMetrics(registry, workerId);
    this.rebalances = io.micrometer.core.instrument.Counter
        .builder("millrace.connect.rebalances").tag("worker", workerId)
        .description("Assignments this worker received").register(registry);
    meters.add(rebalances);
    meters.add(io.micrometer.core.instrument.Gauge.builder("millrace.connect.tasks", worker,
        w -> w.runningTasks().size()).tag("worker", workerId)
        .description("Tasks running on this worker").register(registry));
    meters.add(io.micrometer.core.instrument.Gauge.builder("millrace.connect.connectors",
        connectorCount, java.util.concurrent.atomic.AtomicInteger::get).tag("worker", workerId)
        .description("Connectors running on this worker").register(registry));
    this.membership = membership;
    this.requestTimeoutMs = config.getLong(WorkerConfig.REQUEST_TIMEOUT_MS);
    this.operations = new ConnectorOperations(configs, offsets, statuses, plugins, worker,
        workerId, () -> generation, requestTimeoutMs);
  }

  /** Reads the three logs, then joins the group (or starts alone). */
  public void start() {
    long startTimeout = Math.max(requestTimeoutMs, 60_000);
    await(CompletableFuture.allOf(offsets.start(), statuses.start(), configs.start()),
        startTimeout);
    membership.start(this);
    LOG.info("Worker {} started ({} mode)", workerId,
        config.distributed() ? "distributed" : "standalone");
  }

  public String workerId() {
    return workerId;
  }

  public Plugins plugins() {
    return plugins;
  }

  /** What the REST API does: blocking, thread-safe; call from worker threads. */
  public ConnectorOperations operations() {
    return operations;
  }

  public long generation() {
    return generation;
  }

  // ---- Membership callbacks -------------------------------------------------------------

  @Override
  public ClusterConfigState latestConfig() {
    await(configs.readToEnd(), requestTimeoutMs);
    return configs.snapshot();
  }

  /**
   * Everything this worker may be running: the latest assignment (its tasks may not have
   * started yet) and whatever still runs or is stopping. The leader never gives any of it to
   * another worker.
   */
  @Override
  public WorkAssignment.Owned owned() {
    java.util.Set<String> cs = new java.util.TreeSet<>(runningConnectors);
    java.util.Set<TaskId> ts = new java.util.TreeSet<>(worker.runningTasks());
    WorkAssignment a = latest;
    if (a != null) {
      cs.addAll(a.connectors());
      ts.addAll(a.tasks());
    }
    return new WorkAssignment.Owned(workerId, new ArrayList<>(cs), new ArrayList<>(ts));
  }

  @Override
  public void onAssignment(WorkAssignment a) {
    try {
      await(configs.readToEnd(), requestTimeoutMs);
    } catch (ConnectException e) {
      LOG.warn("Worker {} could not read the config log before applying its assignment", workerId,
          e);
    }
    LOG.info("Worker {} generation {}: connectors {} tasks {}", workerId, a.generation(),
        a.connectors(), a.tasks());
    rebalances.increment();
    latest = a;
    post(() -> {
      assignment = a;
      generation = a.generation();
      reconcile();
      if (a.rejoin() && a.generation() != rejoinedGeneration) {
        rejoinedGeneration = a.generation();
        LOG.info("Worker {} gave work up in generation {}; rejoining so it moves", workerId,
            a.generation());
        membership.requestRebalance();
      }
    });
  }

  // ---- Config and status callbacks ------------------------------------------------------

  @Override
  public void onConfigChange(ClusterConfigState state) {
    post(this::reconcile);
  }

  @Override
  public void onRestartRequest(RestartRequest request) {
    post(() -> restart(request));
  }

  @Override
  public void onConnectorState(String connector, State state, Throwable error) {
    writeStatus(connector, -1, state, error);
  }

  @Override
  public void onTaskState(TaskId task, State state, Throwable error) {
    writeStatus(task.connector(), task.task(), state, error);
  }

  @Override
  public void requestTaskReconfiguration(String connector) {
    post(() -> reconfigureTasks(connector));
  }

  @Override
  public void raiseError(String connector, Exception e) {
    post(() -> {
      WorkerConnector wc = connectors.get(connector);
      if (wc != null) {
        failConnector(wc, e);
      }
    });
  }

  private void writeStatus(String connector, int task, State state, Throwable error) {
    if (task < 0) {
      statusMetrics.connector(connector, state);
    } else {
      statusMetrics.task(new TaskId(connector, task), state);
    }
    if (closing && state == State.UNASSIGNED) {
      return; // a worker shutting down leaves its last status; the next owner overwrites it
    }
    if (!configs.snapshot().contains(connector)) {
      return; // deleted: its statuses were removed and must stay so
    }
    Status s = new Status(state, error == null ? null : trace(error), workerId, generation);
    CompletableFuture<Void> f = task < 0 ? statuses.putConnector(connector, s)
        : statuses.putTask(connector, task, s);
    f.whenComplete((v, e) -> {
      if (e != null) {
        LOG.warn("Could not write status of {}{}", connector, task < 0 ? "" : "-" + task, e);
      }
    });
  }

  // ---- Reconciliation (herder thread) -----------------------------------------------------

  private void post(Runnable r) {
    if (closing) {
      return;
    }
    thread.execute(() -> {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.error("Worker {} herder step failed", workerId, e);
      }
    });
  }

  private void reconcile() {
    if (assignment == null || closing) {
      return;
    }
    ClusterConfigState s = configs.snapshot();
    Set<String> wanted = new HashSet<>(assignment.connectors());
    wanted.retainAll(s.connectorConfigs().keySet());
    for (String name : new ArrayList<>(connectors.keySet())) {
      if (!wanted.contains(name) || !connectors.get(name).props.equals(s.connectorConfigs().get(name))) {
        stopConnector(name);
      }
    }
    failedConnectors.keySet().removeIf(
        name -> !wanted.contains(name) || !failedConnectors.get(name).equals(s.connectorConfigs().get(name)));
    for (String name : wanted) {
      WorkerConnector wc = connectors.get(name);
      if (wc == null && !failedConnectors.containsKey(name)) {
        startConnector(name, s.connectorConfigs().get(name), s.targetState(name));
      } else if (wc != null && !wc.failed && wc.target != s.targetState(name)) {
        wc.target = s.targetState(name);
        applyTargetState(wc);
      }
    }
    reconcileTasks(s);
    refreshRunning();
    if (!Assignor.shape(s).equals(assignment.shape())) {
      membership.requestRebalance();
    }
  }

  private void refreshRunning() {
    java.util.Set<String> names = new java.util.HashSet<>(connectors.keySet());
    names.addAll(failedConnectors.keySet());
    runningConnectors = java.util.Set.copyOf(names);
    connectorCount.set(connectors.size());
  }

  private void reconcileTasks(ClusterConfigState s) {
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
    Set<TaskId> stop = new HashSet<>();
    for (TaskId id : worker.runningTasks()) {
      WorkerTask task = worker.task(id);
      if (!desired.containsKey(id) || task == null || !desired.get(id).equals(task.taskProps())
          || !s.connectorConfigs().get(id.connector()).equals(taskConnectorProps.get(id))) {
        stop.add(id);
      }
    }
    worker.stopTasks(stop);
    stop.forEach(taskConnectorProps::remove);
    for (Map.Entry<TaskId, Map<String, String>> e : desired.entrySet()) {
      TaskId id = e.getKey();
      TargetState ts = s.targetState(id.connector());
      if (worker.task(id) == null) {
        Map<String, String> cprops = s.connectorConfigs().get(id.connector());
        taskConnectorProps.put(id, cprops);
        worker.startTask(id, cprops, e.getValue(), ts);
      } else {
        worker.setTargetState(id, ts);
      }
    }
  }

  private void startConnector(String name, Map<String, String> props, TargetState target) {
    Connector c;
    try {
      c = plugins.newConnector(props.get(ConnectorConfig.CONNECTOR_CLASS));
    } catch (RuntimeException e) {
      LOG.error("Cannot instantiate connector {}", name, e);
      failedConnectors.put(name, props);
      writeStatus(name, -1, State.FAILED, e);
      return;
    }
    WorkerConnector wc = new WorkerConnector(name, props, c, Plugins.isSink(c), target, this,
        offsetReader(name));
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
          writeStatus(wc.name, -1, State.RUNNING, null);
          reconfigureTasks(wc.name);
        }
        case PAUSED -> {
          wc.stop();
          writeStatus(wc.name, -1, State.PAUSED, null);
        }
        case STOPPED -> {
          wc.stop();
          writeStatus(wc.name, -1, State.STOPPED, null);
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
    writeStatus(wc.name, -1, State.FAILED, e);
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
      writeStatus(name, -1, State.UNASSIGNED, null);
    }
  }

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

  private void restart(RestartRequest r) {
    if (assignment == null) {
      return;
    }
    ClusterConfigState s = configs.snapshot();
    String name = r.connector();
    if (!s.contains(name)) {
      return;
    }
    if (r.forConnector()) {
      if (assignment.connectors().contains(name)) {
        WorkerConnector wc = connectors.get(name);
        boolean failed = wc == null ? failedConnectors.containsKey(name) : wc.failed;
        if (!r.onlyFailed() || failed) {
          stopConnector(name);
          failedConnectors.remove(name);
          writeStatus(name, -1, State.RESTARTING, null);
          startConnector(name, s.connectorConfigs().get(name), s.targetState(name));
        }
      }
      if (r.includeTasks()) {
        for (TaskId id : worker.runningTasks()) {
          WorkerTask t = worker.task(id);
          if (id.connector().equals(name) && (!r.onlyFailed() || (t != null && t.failed()))) {
            restartTask(id);
          }
        }
      }
    } else {
      TaskId id = new TaskId(name, r.task());
      if (worker.task(id) != null) {
        restartTask(id);
      }
    }
  }

  private void restartTask(TaskId id) {
    worker.stopTask(id);
    taskConnectorProps.remove(id);
    writeStatus(id.connector(), id.task(), State.RESTARTING, null);
    reconcileTasks(configs.snapshot());
  }

  private OffsetStorageReader offsetReader(String connector) {
    return new OffsetStorageReader() {
      @Override
      public <T> Map<String, Object> offset(Map<String, T> partition) {
        return offsets.offset(connector, partition);
      }

      @Override
      public <T> Map<Map<String, T>, Map<String, Object>> offsets(
          Collection<Map<String, T>> partitions) {
        Map<Map<String, T>, Map<String, Object>> out = new HashMap<>();
        partitions.forEach(p -> out.put(p, offsets.offset(connector, p)));
        return out;
      }
    };
  }

  static <T> T await(CompletableFuture<T> f, long timeoutMs) {
    try {
      return f.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectException("Interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ConnectException ce) {
        throw ce;
      }
      throw new ConnectException(cause.getMessage(), cause);
    } catch (TimeoutException e) {
      throw new ConnectException("Request timed out after " + timeoutMs + " ms");
    }
  }

  private static String trace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  @Override
  public void close() {
    membership.close();
    closing = true;
    Future<?> done = thread.submit(() -> {
      worker.close();
      for (String name : new ArrayList<>(connectors.keySet())) {
        stopConnector(name);
      }
    });
    try {
      done.get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("Worker {} did not stop cleanly", workerId, e);
    }
    thread.shutdownNow();
    meters.forEach(registry::remove);
    statusMetrics.close();
    configs.close();
    offsets.close();
    statuses.close();
  }
}
