package io.millrace.connect.runtime;

import io.millrace.connect.WorkerConfig;
import io.millrace.connect.storage.OffsetStore;
import io.millrace.connect.storage.TargetState;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.ConverterConfig;
import org.apache.kafka.connect.storage.ConverterType;
import org.apache.kafka.connect.storage.HeaderConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds and runs the tasks assigned to this worker, each on its own thread of the worker's
 * task pool. Called by the herder only, from its one thread; the tasks themselves run on their
 * threads and report state through the {@link StatusListener}.
 */
public final class Worker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

  private final WorkerConfig config;
  private final Plugins plugins;
  private final OffsetStore offsets;
  private final StatusListener status;
  private final io.micrometer.core.instrument.MeterRegistry registry;
  private final Map<TaskId, WorkerTask> tasks = new ConcurrentHashMap<>();
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "millrace-connect-task");
    t.setDaemon(true);
    return t;
  });

  public Worker(WorkerConfig config, Plugins plugins, OffsetStore offsets, StatusListener status,
      io.micrometer.core.instrument.MeterRegistry registry) {
    this.registry = registry;
    this.config = config;
    this.plugins = plugins;
    this.offsets = offsets;
    this.status = status;
  }

  public Plugins plugins() {
    return plugins;
  }

  /** Tasks started here and not yet stopped (stopping ones included). */
  public Set<TaskId> runningTasks() {
    return new TreeSet<>(tasks.keySet());
  }

  public WorkerTask task(TaskId id) {
    return tasks.get(id);
  }

  /** Starts a task; a failure to build it is reported as the task's FAILED status. */
  public void startTask(TaskId id, Map<String, String> connectorProps,
      Map<String, String> taskProps, TargetState target) {
    if (tasks.containsKey(id)) {
      throw new IllegalStateException("task " + id + " is already running here");
    }
    WorkerTask task;
    try {
      task = build(id, connectorProps, taskProps, target);
    } catch (RuntimeException | LinkageError e) {
      LOG.error("Cannot start task {}", id, e);
      status.onTaskState(id, io.millrace.connect.storage.StatusStore.State.FAILED, e);
      return;
    }
    tasks.put(id, task);
    threads.execute(task);
    LOG.info("Started task {}", id);
  }

  /** Stops a task and waits for it up to {@code task.shutdown.graceful.timeout.ms}. */
  public void stopTask(TaskId id) {
    WorkerTask task = tasks.get(id);
    if (task == null) {
      return;
    }
    task.stop();
    long timeout = config.getLong(WorkerConfig.TASK_SHUTDOWN_TIMEOUT_MS);
    if (!task.awaitStop(timeout)) {
      LOG.warn("Task {} did not stop within {} ms; abandoning it", id, timeout);
    } else {
      LOG.info("Stopped task {}", id);
    }
    // listed until stopped, so the group never hands a still-running task to another worker
    tasks.remove(id, task);
  }

  /** Stops several tasks in parallel. */
  public void stopTasks(Set<TaskId> ids) {
    for (TaskId id : ids) {
      WorkerTask t = tasks.get(id);
      if (t != null) {
        t.stop();
      }
    }
    for (TaskId id : ids) {
      stopTask(id);
    }
  }

  public void setTargetState(TaskId id, TargetState state) {
    WorkerTask t = tasks.get(id);
    if (t != null) {
      t.transitionTo(state);
    }
  }

  private WorkerTask build(TaskId id, Map<String, String> connectorProps,
      Map<String, String> taskProps, TargetState target) {
    Connector connector = plugins.newConnector(connectorProps.get(ConnectorConfig.CONNECTOR_CLASS));
    boolean sink = Plugins.isSink(connector);
    ConnectorConfig cc = new ConnectorConfig(plugins, connectorProps, sink);
    Task task = instantiate(connector.taskClass());
    Converters converters = converters(connectorProps);
    long flushMs = config.getLong(WorkerConfig.OFFSET_FLUSH_INTERVAL_MS);
    if (sink) {
      if (!(task instanceof SinkTask sinkTask)) {
        throw new IllegalStateException(connector.taskClass() + " is not a SinkTask");
      }
      TransformChain<SinkRecord> chain = TransformChain.of(plugins, connectorProps);
      Map<String, Object> consumer = clientProps("consumer.", connectorProps,
          "consumer.override.");
      consumer.putIfAbsent(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
      return new WorkerSinkTask(id, cc, taskProps, target, status, sinkTask, converters, chain,
          consumer, clientProps("producer.", connectorProps, "producer.override."), flushMs,
          new TaskMetrics(registry, id, true));
    }
    if (!(task instanceof SourceTask sourceTask)) {
      throw new IllegalStateException(connector.taskClass() + " is not a SourceTask");
    }
    awaitOffsets(id);
    TransformChain<SourceRecord> chain = TransformChain.of(plugins, connectorProps);
    return new WorkerSourceTask(id, cc, taskProps, target, status, sourceTask, converters, chain,
        offsets, clientProps("producer.", connectorProps, "producer.override."), flushMs,
        config.getLong(WorkerConfig.OFFSET_FLUSH_TIMEOUT_MS), new TaskMetrics(registry, id, false));
  }

  /** A task that moved here must see the offsets its last owner committed. */
  private void awaitOffsets(TaskId id) {
    try {
      offsets.readToEnd().get(config.getLong(WorkerConfig.REQUEST_TIMEOUT_MS),
          java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new org.apache.kafka.connect.errors.ConnectException(
          "Cannot read the offsets of task " + id + " to their end", e);
    }
  }

  private static Task instantiate(Class<? extends Task> cls) {
    try {
      return cls.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot instantiate task class " + cls.getName(), e);
    }
  }

  /** Client settings: bootstrap, then the worker's prefixed keys, then the connector's. */
  public Map<String, Object> clientProps(String workerPrefix, Map<String, String> connectorProps,
      String connectorPrefix) {
    Map<String, Object> out = new HashMap<>();
    out.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    out.putAll(config.originalsWithPrefix(workerPrefix));
    if (connectorProps != null) {
      connectorProps.forEach((k, v) -> {
        if (k.startsWith(connectorPrefix)) {
          out.put(k.substring(connectorPrefix.length()), v);
        }
      });
    }
    return out;
  }

  /** The task's converters: the connector's if it names them, else the worker's. */
  public Converters converters(Map<String, String> connectorProps) {
    Converter key = converter(connectorProps, ConnectorConfig.KEY_CONVERTER, true);
    Converter value = converter(connectorProps, ConnectorConfig.VALUE_CONVERTER, false);
    String prefix = ConnectorConfig.HEADER_CONVERTER;
    String cls = connectorProps.get(prefix);
    Map<String, Object> settings = new HashMap<>();
    if (cls == null) {
      cls = config.getString(WorkerConfig.HEADER_CONVERTER);
      settings.putAll(config.originalsWithPrefix(prefix + "."));
    } else {
      settings.putAll(ConnectorConfig.withPrefix(connectorProps, prefix + "."));
    }
    settings.put(ConverterConfig.TYPE_CONFIG, ConverterType.HEADER.getName());
    HeaderConverter header = plugins.newPlugin(prefix, cls, HeaderConverter.class);
    header.configure(settings);
    return new Converters(key, value, header);
  }

  private Converter converter(Map<String, String> connectorProps, String prefix, boolean isKey) {
    String cls = connectorProps.get(prefix);
    Map<String, Object> settings = new HashMap<>();
    if (cls == null) {
      cls = config.getString(prefix);
      settings.putAll(config.originalsWithPrefix(prefix + "."));
    } else {
      settings.putAll(ConnectorConfig.withPrefix(connectorProps, prefix + "."));
    }
    Converter c = plugins.newPlugin(prefix, cls, Converter.class);
    c.configure(settings, isKey);
    return c;
  }

  @Override
  public void close() {
    stopTasks(runningTasks());
    threads.shutdownNow();
  }
}
