package io.millrace.connect;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;

/**
 * A worker's configuration: every key, its default and its documentation. {@code
 * config/connect.properties} in the repository lists them all; {@link #main} prints them.
 *
 * <p>Clients the worker creates take the keys prefixed {@code producer.}, {@code consumer.} and
 * {@code admin.} on top of {@code bootstrap.servers}.
 */
public final class WorkerConfig extends AbstractConfig {
  public static final String MODE = "mode";
  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String GROUP_ID = "group.id";
  public static final String REST_HOST = "rest.host.name";
  public static final String REST_PORT = "rest.port";
  public static final String METRICS_PORT = "metrics.port";
  public static final String METRICS_HOST = "metrics.host";
  /** Beside a broker's 9644 on the same machine. */
  public static final int DEFAULT_METRICS_PORT = 9645;
  public static final String REST_ADVERTISED_HOST = "rest.advertised.host.name";
  public static final String CONFIG_TOPIC = "config.storage.topic";
  public static final String OFFSET_TOPIC = "offset.storage.topic";
  public static final String STATUS_TOPIC = "status.storage.topic";
  public static final String CONFIG_REPLICATION = "config.storage.replication.factor";
  public static final String OFFSET_REPLICATION = "offset.storage.replication.factor";
  public static final String STATUS_REPLICATION = "status.storage.replication.factor";
  public static final String OFFSET_PARTITIONS = "offset.storage.partitions";
  public static final String STATUS_PARTITIONS = "status.storage.partitions";
  public static final String STANDALONE_DIR = "standalone.storage.dir";
  public static final String OFFSET_FLUSH_INTERVAL_MS = "offset.flush.interval.ms";
  public static final String OFFSET_FLUSH_TIMEOUT_MS = "offset.flush.timeout.ms";
  public static final String SESSION_TIMEOUT_MS = "session.timeout.ms";
  public static final String HEARTBEAT_INTERVAL_MS = "heartbeat.interval.ms";
  public static final String REBALANCE_TIMEOUT_MS = "rebalance.timeout.ms";
  public static final String TASK_SHUTDOWN_TIMEOUT_MS = "task.shutdown.graceful.timeout.ms";
  public static final String KEY_CONVERTER = "key.converter";
  public static final String VALUE_CONVERTER = "value.converter";
  public static final String HEADER_CONVERTER = "header.converter";
  public static final String REQUEST_TIMEOUT_MS = "worker.request.timeout.ms";

  public static final String JSON_CONVERTER = "org.apache.kafka.connect.json.JsonConverter";
  public static final String HEADER_CONVERTER_DEFAULT =
      "org.apache.kafka.connect.storage.SimpleHeaderConverter";

  static final ConfigDef DEF =
      new ConfigDef()
          .define(MODE, Type.STRING, "distributed", ValidString.in("distributed", "standalone"),
              Importance.HIGH,
              "distributed: workers with the same group.id share connectors and tasks, and keep "
                  + "configs, offsets and statuses in compacted topics. standalone: one process, "
                  + "configs, offsets and statuses in files under " + STANDALONE_DIR + ".")
          .define(BOOTSTRAP_SERVERS, Type.LIST, "localhost:9092", Importance.HIGH,
              "Brokers to bootstrap from (host:port, comma separated).")
          .define(GROUP_ID, Type.STRING, "connect-cluster", Importance.HIGH,
              "The group of workers this worker belongs to (distributed mode).")
          .define(REST_HOST, Type.STRING, "0.0.0.0", Importance.MEDIUM,
              "Address the REST API binds to.")
          .define(REST_PORT, Type.INT, 8083, Range.between(0, 65535), Importance.HIGH,
              "Port of the REST API; 0 picks a free port.")
          .define(REST_ADVERTISED_HOST, Type.STRING, "", Importance.LOW,
              "Host name other workers and clients reach this worker by; empty means "
                  + REST_HOST + ", or the machine's host name when that is a wildcard.")
          .define(CONFIG_TOPIC, Type.STRING, "connect-configs", Importance.HIGH,
              "Compacted topic holding connector configs, task configs and target states; one "
                  + "partition (a topic with more is refused).")
          .define(OFFSET_TOPIC, Type.STRING, "connect-offsets", Importance.HIGH,
              "Compacted topic holding source connector offsets.")
          .define(STATUS_TOPIC, Type.STRING, "connect-status", Importance.HIGH,
              "Compacted topic holding connector and task statuses.")
          .define(CONFIG_REPLICATION, Type.SHORT, (short) -1, Importance.MEDIUM,
              "Replication factor of the config topic when the worker creates it; -1 is the "
                  + "broker's default.")
          .define(OFFSET_REPLICATION, Type.SHORT, (short) -1, Importance.MEDIUM,
              "Replication factor of the offset topic when the worker creates it; -1 is the "
                  + "broker's default.")
          .define(STATUS_REPLICATION, Type.SHORT, (short) -1, Importance.MEDIUM,
              "Replication factor of the status topic when the worker creates it; -1 is the "
                  + "broker's default.")
          .define(OFFSET_PARTITIONS, Type.INT, 25, Range.atLeast(1), Importance.LOW,
              "Partitions of the offset topic when the worker creates it.")
          .define(STATUS_PARTITIONS, Type.INT, 5, Range.atLeast(1), Importance.LOW,
              "Partitions of the status topic when the worker creates it.")
          .define(STANDALONE_DIR, Type.STRING, "data/connect", Importance.MEDIUM,
              "Standalone mode: directory of the config, offset and status files.")
          .define(OFFSET_FLUSH_INTERVAL_MS, Type.LONG, 10_000L, Range.atLeast(1),
              Importance.MEDIUM,
              "How often tasks commit offsets: source offsets to the offset store, sink offsets "
                  + "to the consumer group.")
          .define(OFFSET_FLUSH_TIMEOUT_MS, Type.LONG, 5_000L, Range.atLeast(1), Importance.LOW,
              "How long a source task waits for outstanding records before an offset commit "
                  + "gives up (and tries again on the next interval).")
          .define(SESSION_TIMEOUT_MS, Type.INT, 10_000, Range.atLeast(1), Importance.MEDIUM,
              "A worker that has not heartbeated for this long leaves the group and its work "
                  + "moves.")
          .define(HEARTBEAT_INTERVAL_MS, Type.INT, 3_000, Range.atLeast(1), Importance.LOW,
              "How often a worker heartbeats to the group coordinator.")
          .define(REBALANCE_TIMEOUT_MS, Type.INT, 60_000, Range.atLeast(1), Importance.LOW,
              "How long a rebalance may take (workers stop their tasks within it).")
          .define(TASK_SHUTDOWN_TIMEOUT_MS, Type.LONG, 5_000L, Range.atLeast(0),
              Importance.LOW, "How long a stopping task may take before it is abandoned.")
          .define(REQUEST_TIMEOUT_MS, Type.LONG, 30_000L, Range.atLeast(1), Importance.LOW,
              "How long a REST request waits for the worker (for instance for a config write "
                  + "to be read back) before it fails with 500.")
          .define(KEY_CONVERTER, Type.STRING, JSON_CONVERTER, Importance.HIGH,
              "Default converter of record keys; connectors may override it. Converter "
                  + "settings take the prefix, e.g. key.converter.schemas.enable.")
          .define(VALUE_CONVERTER, Type.STRING, JSON_CONVERTER, Importance.HIGH,
              "Default converter of record values; connectors may override it.")
          .define(HEADER_CONVERTER, Type.STRING, HEADER_CONVERTER_DEFAULT, Importance.LOW,
              "Default converter of record headers.")
          .define(METRICS_PORT, Type.INT, DEFAULT_METRICS_PORT, Range.between(-1, 65535), Importance.MEDIUM,
              "Port of bin/millrace connect's HTTP endpoint serving /metrics (Prometheus), /health and "
                  + "/ready; 0 picks a free port, -1 turns it off.")
          .define(METRICS_HOST, Type.STRING, "0.0.0.0", Importance.LOW,
              "Address the metrics endpoint binds to.");

  public WorkerConfig(Map<?, ?> props) {
    super(DEF, props, false);
  }

  /** The definitions of every key, for documentation and validation. */
  public static ConfigDef configDef() {
    return DEF;
  }

  public boolean distributed() {
    return getString(MODE).equals("distributed");
  }

  public String bootstrapServers() {
    return String.join(",", getList(BOOTSTRAP_SERVERS));
  }

  /** The host other workers and clients reach this worker by. */
  public String advertisedHost() {
    String advertised = getString(REST_ADVERTISED_HOST);
    if (!advertised.isEmpty()) {
      return advertised;
    }
    String host = getString(REST_HOST);
    if (!host.equals("0.0.0.0") && !host.equals("::")) {
      return host;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  /** Prints every key with its default, as {@code connect.properties} documents them. */
  public static void main(String[] args) {
    System.out.println(DEF.toRst());
  }
}
