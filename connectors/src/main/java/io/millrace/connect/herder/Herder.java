package io.millrace.connect.herder;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.connect.WorkerConfig;
import io.millrace.connect.runtime.Plugins;
import io.millrace.connect.runtime.TaskId;
import io.millrace.connect.runtime.Worker;
import io.millrace.connect.storage.ClusterConfigState;
import io.millrace.connect.storage.ConfigStore;
import io.millrace.connect.storage.KeyValueLog;
import io.millrace.connect.storage.OffsetStore;
import io.millrace.connect.storage.RestartRequest;
import io.millrace.connect.storage.StatusStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's herder: reads the config, offset and status logs, takes part in the group (or
 * runs alone), and keeps what runs here in line with both. Its parts, each on its own:
 *
 * <ul>
 *   <li>{@link ConnectorOperations}: what the REST API asks (reads, and writes to the logs);
 *   <li>{@link Membership} with {@link Assignor}: who runs what (the rebalance and its
 *       assignment);
 *   <li>{@link Reconciler}: starting, stopping and restarting what this worker is assigned;
 *   <li>{@link StatusReporter}: the states of what runs here, for {@code /status} and metrics.
 * </ul>
 *
 * <p>Threading: every change to what runs here happens on one thread, {@code
 * millrace-connect-herder}: config changes, assignments, restart requests and connector
 * callbacks are all queued to it. The REST-facing {@link #operations} are blocking and
 * thread-safe; call them from worker threads, never an event loop.
 */
public final class Herder implements Membership.Callbacks, ConfigStore.Listener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Herder.class);

  private final WorkerConfig config;
  private final String workerId;
  private final ConfigStore configs;
  private final OffsetStore offsets;
  private final StatusStore statuses;
  private final Worker worker;
  private final Membership membership;
  private final RequestTimeout timeout;
  private final ConnectorOperations operations;
  private final StatusReporter status;
  private final StatusMetrics statusMetrics;
  private final Reconciler reconciler;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "millrace-connect-herder");
    t.setDaemon(true);
    return t;
  });
  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  private final Counter rebalances;

  private volatile long generation;
  private volatile WorkAssignment latest;
  private volatile boolean closing;
  private long rejoinedGeneration = -1; // herder thread

  public Herder(WorkerConfig config, Plugins plugins, String workerId, KeyValueLog configLog,
      KeyValueLog offsetLog, KeyValueLog statusLog, Membership membership,
      MeterRegistry registry) {
    this.config = config;
    this.workerId = workerId;
    this.membership = membership;
    this.registry = registry;
    this.timeout = new RequestTimeout(config.getLong(WorkerConfig.REQUEST_TIMEOUT_MS));
    this.configs = new ConfigStore(configLog, this);
    this.offsets = new OffsetStore(offsetLog);
    this.statuses = new StatusStore(statusLog);
    this.statusMetrics = new StatusMetrics(registry, workerId);
    this.status = new StatusReporter(workerId, statuses, configs, () -> generation,
        statusMetrics);
    this.worker = new Worker(config, plugins, offsets, status, registry);
    this.reconciler = new Reconciler(configs, statuses, offsets, plugins, worker, status,
        this::post, membership::requestRebalance);
    this.operations = new ConnectorOperations(configs, offsets, statuses, plugins, worker,
        workerId, () -> generation, timeout);
    this.rebalances = Counter.builder("millrace.connect.rebalances").tag("worker", workerId)
        .description("Assignments this worker received").register(registry);
    meters.add(rebalances);
    meters.add(Gauge.builder("millrace.connect.tasks", worker, w -> w.runningTasks().size())
        .tag("worker", workerId).description("Tasks running on this worker").register(registry));
    meters.add(Gauge.builder("millrace.connect.connectors", reconciler,
        Reconciler::connectorCount).tag("worker", workerId)
        .description("Connectors running on this worker").register(registry));
  }

  /** Reads the three logs, then joins the group (or starts alone). */
  public void start() {
    RequestTimeout startTimeout = new RequestTimeout(Math.max(timeout.ms(), 60_000));
    startTimeout.await(CompletableFuture.allOf(offsets.start(), statuses.start(),
        configs.start()));
    membership.start(this);
    LOG.info("Worker {} started ({} mode)", workerId,
        config.distributed() ? "distributed" : "standalone");
  }

  public String workerId() {
    return workerId;
  }

  /** What the REST API does: blocking, thread-safe; call from worker threads. */
  public ConnectorOperations operations() {
    return operations;
  }

  public long generation() {
    return generation;
  }

  // ---- Membership callbacks (the member's thread) ------------------------------------------

  @Override
  public ClusterConfigState latestConfig() {
    timeout.await(configs.readToEnd());
    return configs.snapshot();
  }

  /**
   * Everything this worker may be running: the latest assignment (its tasks may not have
   * started yet) and whatever still runs or is stopping. The leader never gives any of it to
   * another worker.
   */
  @Override
  public WorkAssignment.Owned owned() {
    Set<String> connectors = new TreeSet<>(reconciler.connectorsHere());
    Set<TaskId> tasks = new TreeSet<>(worker.runningTasks());
    WorkAssignment a = latest;
    if (a != null) {
      connectors.addAll(a.connectors());
      tasks.addAll(a.tasks());
    }
    return new WorkAssignment.Owned(workerId, new ArrayList<>(connectors),
        new ArrayList<>(tasks));
  }

  @Override
  public void onAssignment(WorkAssignment a) {
    try {
      timeout.await(configs.readToEnd());
    } catch (ConnectException e) {
      LOG.warn("Worker {} could not read the config log before applying its assignment", workerId,
          e);
    }
    LOG.info("Worker {} generation {}: connectors {} tasks {}", workerId, a.generation(),
        a.connectors(), a.tasks());
    rebalances.increment();
    latest = a;
    post(() -> {
      generation = a.generation();
      reconciler.assign(a);
      if (a.rejoin() && a.generation() != rejoinedGeneration) {
        rejoinedGeneration = a.generation();
        LOG.info("Worker {} gave work up in generation {}; rejoining so it moves", workerId,
            a.generation());
        membership.requestRebalance();
      }
    });
  }

  // ---- Config log callbacks (the log's reader thread) -------------------------------------

  @Override
  public void onConfigChange(ClusterConfigState state) {
    post(reconciler::reconcile);
  }

  @Override
  public void onRestartRequest(RestartRequest request) {
    post(() -> reconciler.restart(request));
  }

  /** Queues {@code r} to the herder thread, unless the worker is closing. */
  private void post(Runnable r) {
    if (closing) {
      return;
    }
    thread.execute(() -> {
      if (closing) {
        return;
      }
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.error("Worker {} herder step failed", workerId, e);
      }
    });
  }

  /** Leaves the group, stops every task (committing offsets) and connector, closes the logs. */
  @Override
  public void close() {
    membership.close();
    closing = true;
    status.closing();
    Future<?> done = thread.submit(() -> {
      worker.close();
      reconciler.stopAll();
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
