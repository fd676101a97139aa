package io.millrace.connect.herder;

import io.millrace.connect.runtime.ConfigValidation;
import io.millrace.connect.runtime.ConnectorConfig;
import io.millrace.connect.runtime.Plugins;
import io.millrace.connect.runtime.TaskId;
import io.millrace.connect.runtime.Worker;
import io.millrace.connect.storage.ClusterConfigState;
import io.millrace.connect.storage.ConfigStore;
import io.millrace.connect.storage.OffsetStore;
import io.millrace.connect.storage.RestartRequest;
import io.millrace.connect.storage.StatusStore;
import io.millrace.connect.storage.StatusStore.State;
import io.millrace.connect.storage.StatusStore.Status;
import io.millrace.connect.storage.TargetState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.errors.AlreadyExistsException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.NotFoundException;
import org.apache.kafka.connect.source.SourceConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the REST API asks of a worker: read the connectors' configs and statuses, and change
 * them by writing to the config, status and offset stores. Any worker of a group can serve any
 * request: writes go to the shared logs, which every worker reads; the owners of a connector
 * act on them (see {@link Herder}).
 *
 * <p>Thread-safe and blocking: each call waits (up to {@code worker.request.timeout.ms}) for
 * its writes to be read back, so a following read on this worker sees them. Call from worker
 * threads, never an event loop.
 */
public final class ConnectorOperations {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectorOperations.class);

  private final ConfigStore configs;
  private final StatusStore statuses;
  private final Plugins plugins;
  private final Worker worker;
  private final String workerId;
  private final LongSupplier generation;
  private final RequestTimeout timeout;
  private final Map<String, String> typeByClass = new ConcurrentHashMap<>();
  private final SinkOffsets sinkOffsets;
  private final SourceOffsets sourceOffsets;
  private volatile String clusterId;

  ConnectorOperations(ConfigStore configs, OffsetStore offsets, StatusStore statuses,
      Plugins plugins, Worker worker, String workerId, LongSupplier generation,
      RequestTimeout timeout) {
    this.configs = configs;
    this.statuses = statuses;
    this.plugins = plugins;
    this.worker = worker;
    this.workerId = workerId;
    this.generation = generation;
    this.timeout = timeout;
    this.sinkOffsets = new SinkOffsets(worker.clientProps("admin.", null, "admin.override."));
    this.sourceOffsets = new SourceOffsets(offsets, timeout);
  }

  public String workerId() {
    return workerId;
  }

  public Plugins plugins() {
    return plugins;
  }

  /** The result of a create or update: whether it created the connector, and its info. */
  public record Created(boolean created, ConnectorInfo info) {}

  /** The Kafka cluster's id (looked up once), or null while the brokers cannot be reached. */
  public String kafkaClusterId() {
    String id = clusterId;
    if (id == null) {
      Map<String, Object> props = worker.clientProps("admin.", null, "admin.override.");
      props.put("default.api.timeout.ms", 3000);
      props.put("request.timeout.ms", 3000);
      org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin
          .create(props);
      try {
        id = admin.describeCluster().clusterId().get(3, TimeUnit.SECONDS);
        clusterId = id;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        LOG.debug("Kafka cluster id unknown for now", e);
      } finally {
        admin.close(java.time.Duration.ZERO);
      }
    }
    return id;
  }

  public List<String> connectors() {
    return configs.snapshot().connectors();
  }

  public ConnectorInfo info(String name) {
    ClusterConfigState s = existing(name);
    List<TaskId> tasks = new ArrayList<>();
    for (int i = 0; i < s.tasks(name).size(); i++) {
      tasks.add(new TaskId(name, i));
    }
    return new ConnectorInfo(name, s.connectorConfigs().get(name), tasks, type(name));
  }

  public ConnectorStatus status(String name) {
    ClusterConfigState s = existing(name);
    Status c = statuses.connector(name);
    if (c == null) {
      c = new Status(State.UNASSIGNED, null, workerId, generation.getAsLong());
    }
    Map<Integer, Status> tasks = new LinkedHashMap<>();
    Map<Integer, Status> known = statuses.tasks(name);
    for (int i = 0; i < s.tasks(name).size(); i++) {
      Status t = known.get(i);
      tasks.put(i, t != null ? t : new Status(State.UNASSIGNED, null, workerId, generation.getAsLong()));
    }
    return new ConnectorStatus(name, c, tasks, type(name));
  }

  public List<Map<String, String>> taskConfigs(String name) {
    return existing(name).tasks(name);
  }

  public String type(String name) {
    Map<String, String> props = configs.snapshot().connectorConfigs().get(name);
    String cls = props == null ? null : props.get(ConnectorConfig.CONNECTOR_CLASS);
    if (cls == null) {
      return "unknown";
    }
    return typeByClass.computeIfAbsent(cls, c -> {
      try {
        return Plugins.isSink(plugins.newConnector(c)) ? "sink" : "source";
      } catch (RuntimeException e) {
        return "unknown";
      }
    });
  }

  public ConfigValidation.Result validate(Map<String, String> props) {
    return ConfigValidation.validate(plugins, props);
  }

  /** Creates or updates a connector; refuses an invalid config with a {@link BadRequestException}. */
  public Created putConnector(String name, Map<String, String> props, boolean createOnly,
      TargetState initial) {
    checkName(name);
    Map<String, String> cfg = new LinkedHashMap<>(props);
    String named = cfg.get(ConnectorConfig.NAME);
    if (named != null && !named.equals(name)) {
      throw new BadRequestException("Connector name configuration (" + named
          + ") doesn't match connector name in the URL (" + name + ")");
    }
    cfg.put(ConnectorConfig.NAME, name);
    ConfigValidation.Result result = ConfigValidation.validate(plugins, cfg);
    if (result.errorCount() > 0) {
      throw new BadRequestException(result.message());
    }
    timeout.await(configs.readToEnd());
    boolean created = !configs.snapshot().contains(name) && claim(name, initial);
    if (!created && createOnly) {
      throw new AlreadyExistsException("Connector " + name + " already exists");
    }
    timeout.await(configs.putConnectorConfig(name, cfg));
    timeout.await(configs.readToEnd());
    LOG.info("{} connector {}", created ? "Created" : "Updated", name);
    return new Created(created, info(name));
  }

  /**
   * Claims a new connector's name through the config log (see {@link ConfigStore}); when the
   * claim wins, writes the initial target state (always, so that none left by an earlier
   * create that failed half way applies), and the caller writes the config. False when a
   * concurrent create on any worker won the name.
   */
  private boolean claim(String name, TargetState initial) {
    long expiresMs = System.currentTimeMillis() + timeout.ms();
    if (!timeout.await(configs.claimName(name, expiresMs))) {
      return false;
    }
    timeout.await(configs.putTargetState(name, initial));
    if (System.currentTimeMillis() >= expiresMs) {
      throw new ConnectException("Creating connector " + name + " took longer than "
          + timeout.ms() + " ms; nothing was created, try again");
    }
    return true;
  }

  public void delete(String name) {
    existing(name);
    timeout.await(configs.removeConnector(name));
    timeout.await(statuses.remove(name));
    timeout.await(configs.readToEnd());
    LOG.info("Deleted connector {}", name);
  }

  public void setTargetState(String name, TargetState state) {
    existing(name);
    timeout.await(configs.putTargetState(name, state));
    timeout.await(configs.readToEnd());
  }

  public void restartConnector(String name, boolean includeTasks, boolean onlyFailed) {
    existing(name);
    timeout.await(configs.requestRestart(
        new RestartRequest(name, -1, includeTasks, onlyFailed)));
  }

  public void restartTask(String name, int task) {
    ClusterConfigState s = existing(name);
    if (task < 0 || task >= s.tasks(name).size()) {
      throw new NotFoundException("Task " + name + "-" + task + " not found");
    }
    timeout.await(configs.requestRestart(new RestartRequest(name, task, false, false)));
  }

  /** The connector's offsets in Kafka Connect's REST shape: {partition, offset} pairs. */
  public List<Map<String, Object>> offsets(String name) {
    existing(name);
    return type(name).equals("sink") ? sinkOffsets.read("connect-" + name, timeout.ms())
        : sourceOffsets.read(name);
  }

  /** Alters (or, with {@code entries} null, resets) a stopped connector's offsets. */
  public void alterOffsets(String name, List<Map<String, Object>> entries) {
    ClusterConfigState s = existing(name);
    if (s.targetState(name) != TargetState.STOPPED || !s.tasks(name).isEmpty()) {
      throw new BadRequestException("Connectors must be in the STOPPED state before their "
          + "offsets can be modified. This can be done for the specified connector by issuing a "
          + "'PUT' request to the '/connectors/" + name + "/stop' endpoint");
    }
    Map<String, String> config = s.connectorConfigs().get(name);
    Connector plugin = plugins.newConnector(config.get(ConnectorConfig.CONNECTOR_CLASS));
    if (plugin instanceof SourceConnector source) {
      sourceOffsets.alter(name, source, config, entries);
    } else {
      sinkOffsets.alter("connect-" + name, entries, timeout.ms());
    }
  }

  private ClusterConfigState existing(String name) {
    ClusterConfigState s = configs.snapshot();
    if (!s.contains(name)) {
      throw new NotFoundException("Connector " + name + " not found");
    }
    return s;
  }

  private static void checkName(String name) {
    if (name == null || name.isBlank()) {
      throw new BadRequestException("Connector name is required");
    }
    if (name.contains("/") || name.chars().anyMatch(Character::isISOControl)) {
      throw new BadRequestException("Connector name " + name + " may not contain '/' or "
          + "control characters");
    }
  }
}
