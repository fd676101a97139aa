package io.millrace.engine.config;

import io.millrace.engine.group.GroupCoordinatorConfig;
import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;

import io.millrace.engine.log.LogConfig;
import io.millrace.engine.log.LogManagerConfig;
import io.millrace.engine.metrics.MetricsConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's configuration: Kafka's key names, types and defaults, parsed by Kafka's
 * {@link ConfigDef}. An invalid value fails construction with a {@link ConfigException} naming the
 * key; a key the broker does not know is logged once as a warning and otherwise ignored, as Kafka
 * does. Every key and default is documented in {@code config/server.properties}.
 *
 * <p>The {@code log.*} keys (and {@code message.max.bytes}, {@code compression.type}, ...) are the
 * broker-wide defaults of topic configs; they are defined from {@link LogConfig}'s own definitions
 * so the two can never disagree. Immutable and thread-safe.
 */
public final class BrokerConfig extends AbstractConfig {

  private static final Logger log = LoggerFactory.getLogger(BrokerConfig.class);

  public static final String NODE_ID = "node.id";
  public static final String BROKER_RACK = "broker.rack";
  public static final String LISTENERS = "listeners";
  public static final String ADVERTISED_LISTENERS = "advertised.listeners";
  public static final String LISTENER_SECURITY_PROTOCOL_MAP = "listener.security.protocol.map";
  public static final String LOG_DIRS = "log.dirs";
  public static final String LOG_DIR = "log.dir";
  public static final String NUM_PARTITIONS = "num.partitions";
  public static final String DEFAULT_REPLICATION_FACTOR = "default.replication.factor";
  public static final String AUTO_CREATE_TOPICS_ENABLE = "auto.create.topics.enable";
  public static final String DELETE_TOPIC_ENABLE = "delete.topic.enable";
  public static final String SOCKET_REQUEST_MAX_BYTES = "socket.request.max.bytes";
  public static final String SOCKET_SEND_BUFFER_BYTES = "socket.send.buffer.bytes";
  public static final String SOCKET_RECEIVE_BUFFER_BYTES = "socket.receive.buffer.bytes";
  public static final String MAX_CONNECTIONS = "max.connections";
  public static final String QUEUED_MAX_REQUESTS = "queued.max.requests";
  public static final String CONNECTIONS_MAX_IDLE_MS = "connections.max.idle.ms";
  public static final String NUM_NETWORK_THREADS = "num.network.threads";
  public static final String FETCH_MAX_BYTES = "fetch.max.bytes";
  public static final String MESSAGE_MAX_BYTES = "message.max.bytes";

  /** The broker keys in {@code LogConfig.brokerDefaultKeys()} given in coarse units, with Kafka's defaults. */
  private static final Map<String, Object> COARSE_UNIT_DEFAULTS = Map.of(
      "log.retention.hours", 168, "log.roll.hours", 168, "log.roll.jitter.hours", 0);
  private static final Set<String> COARSE_UNIT_KEYS = Set.of(
      "log.retention.hours", "log.retention.minutes", "log.roll.hours", "log.roll.jitter.hours");
  /** Finer-unit keys whose default is "not set", so that the coarse key decides. */
  private static final Set<String> UNSET_BY_DEFAULT = Set.of("log.retention.ms", "log.roll.ms", "log.roll.jitter.ms");

  public static final ConfigDef CONFIG_DEF = configDef();

  private final List<ListenerSpec> listeners;
  private final List<ListenerSpec> advertisedListeners;
  private final List<Path> logDirs;

  /**
   * @param props the properties as given (file, overrides)
   * @throws ConfigException naming the key of the first invalid value
   */
  public BrokerConfig(Map<?, ?> props) {
    super(CONFIG_DEF, props, false);
    this.listeners = ListenerSpec.parseList(LISTENERS, getString(LISTENERS));
    if (listeners.isEmpty()) {
      throw new ConfigException(LISTENERS, getString(LISTENERS), "at least one listener is required");
    }
    checkSecurityProtocols();
    this.advertisedListeners = advertised();
    this.logDirs = parseLogDirs();
    // Cluster and replication settings that do not combine fail here, naming their key.
    cluster();
    interBrokerListenerName();
    // Fail at start-up, not at the first topic creation, when the topic defaults do not combine.
    LogConfig.fromBrokerAndTopic(logDefaults(), Map.of());
  }

  /** Logs each key the broker does not know, once, as Kafka does. */
  public void warnUnknownKeys() {
    Set<String> unknown = new TreeSet<>();
    for (Object k : originals().keySet()) {
      if (!CONFIG_DEF.names().contains(k.toString())) {
        unknown.add(k.toString());
      }
    }
    unknown.forEach(k -> log.warn("The configuration '{}' was supplied but isn't a known config.", k));
  }

  /** The {@code cluster.*} settings. */
  public io.millrace.engine.cluster.ClusterConfig cluster() {
    return new io.millrace.engine.cluster.ClusterConfig(originals());
  }

  /** The listener followers fetch from: {@code inter.broker.listener.name}, else the first listener. */
  public String interBrokerListenerName() {
    String name = replication().interBrokerListenerName();
    if (name == null) {
      return listeners.get(0).name();
    }
    if (listeners.stream().noneMatch(l -> l.name().equals(name))) {
      throw new ConfigException(io.millrace.engine.replication.ReplicationConfig.INTER_BROKER_LISTENER_NAME, name,
          "no listener has this name; listeners are " + getString(LISTENERS));
    }
    return name;
  }

  /** The replication settings. */
  public io.millrace.engine.replication.ReplicationConfig replication() {
    return new io.millrace.engine.replication.ReplicationConfig(originals());
  }

  public int nodeId() {
    return getInt(NODE_ID);
  }

  public Optional<String> rack() {
    return Optional.ofNullable(getString(BROKER_RACK));
  }

  public List<ListenerSpec> listeners() {
    return listeners;
  }

  /** What clients are told: {@code advertised.listeners}, else the listeners with wildcard hosts as localhost. */
  public List<ListenerSpec> advertisedListeners() {
    return advertisedListeners;
  }

  public List<Path> logDirs() {
    return logDirs;
  }

  public int numPartitions() {
    return getInt(NUM_PARTITIONS);
  }

  public short defaultReplicationFactor() {
    return getInt(DEFAULT_REPLICATION_FACTOR).shortValue();
  }

  public boolean autoCreateTopicsEnable() {
    return getBoolean(AUTO_CREATE_TOPICS_ENABLE);
  }

  public boolean deleteTopicEnable() {
    return getBoolean(DELETE_TOPIC_ENABLE);
  }

  public int socketRequestMaxBytes() {
    return getInt(SOCKET_REQUEST_MAX_BYTES);
  }

  public int socketSendBufferBytes() {
    return getInt(SOCKET_SEND_BUFFER_BYTES);
  }

  public int socketReceiveBufferBytes() {
    return getInt(SOCKET_RECEIVE_BUFFER_BYTES);
  }

  public int maxConnections() {
    return getInt(MAX_CONNECTIONS);
  }

  public int queuedMaxRequests() {
    return getInt(QUEUED_MAX_REQUESTS);
  }

  public long connectionsMaxIdleMs() {
    return getLong(CONNECTIONS_MAX_IDLE_MS);
  }

  public int numNetworkThreads() {
    return getInt(NUM_NETWORK_THREADS);
  }

  public int fetchMaxBytes() {
    return getInt(FETCH_MAX_BYTES);
  }

  /** The metrics endpoint and series keys ({@code metrics.*}). */
  public MetricsConfig metrics() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String key : MetricsConfig.CONFIG_DEF.names()) {
      out.put(key, values().get(key));
    }
    return new MetricsConfig(out);
  }

  /** The broker's {@code min.insync.replicas}, for topics without their own. */
  public int minInsyncReplicas() {
    return ((Number) values().get("min.insync.replicas")).intValue();
  }

  /** The broker-wide topic defaults ({@code log.*} and friends) that are set, by broker key. */
  public Map<String, Object> logDefaults() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String key : LogConfig.brokerDefaultKeys().keySet()) {
      Object v = values().get(key);
      if (v != null) {
        out.put(key, v);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** Every key the log manager reads (topic defaults and its own), with parsed values. */
  public Map<String, Object> logManagerProps() {
    Map<String, Object> out = new LinkedHashMap<>(logDefaults());
    for (String key : LogManagerConfig.CONFIG_DEF.names()) {
      out.put(key, values().get(key));
    }
    return Collections.unmodifiableMap(out);
  }

  /** The value of every key, as parsed (for DescribeConfigs on the broker). */
  public Map<String, ?> parsedValues() {
    return values();
  }

  /** Whether {@code key} was set explicitly (file or override) rather than defaulted. */
  public boolean isSet(String key) {
    return originals().containsKey(key);
  }

  private void checkSecurityProtocols() {
    Map<String, String> map = new LinkedHashMap<>();
    for (String entry : getString(LISTENER_SECURITY_PROTOCOL_MAP).split(",")) {
      String[] kv = entry.trim().split(":");
      if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
        throw new ConfigException(LISTENER_SECURITY_PROTOCOL_MAP, getString(LISTENER_SECURITY_PROTOCOL_MAP),
            "'" + entry + "' is not of the form LISTENER:PROTOCOL");
      }
      map.put(kv[0].trim().toUpperCase(Locale.ROOT), kv[1].trim().toUpperCase(Locale.ROOT));
    }
    for (ListenerSpec l : listeners) {
      String protocol = map.get(l.name());
      if (protocol == null) {
        throw new ConfigException(LISTENERS, getString(LISTENERS), "listener " + l.name()
            + " has no security protocol in " + LISTENER_SECURITY_PROTOCOL_MAP);
      }
      if (!protocol.equals("PLAINTEXT")) {
        throw new ConfigException(LISTENERS, getString(LISTENERS), "listener " + l.name() + " uses "
            + protocol + "; this broker serves PLAINTEXT listeners only");
      }
    }
  }

  private List<ListenerSpec> advertised() {
    String value = getString(ADVERTISED_LISTENERS);
    if (value == null || value.isBlank()) {
      List<ListenerSpec> out = new ArrayList<>();
      for (ListenerSpec l : listeners) {
        out.add(l.wildcard() ? new ListenerSpec(l.name(), "localhost", l.port()) : l);
      }
      return List.copyOf(out);
    }
    List<ListenerSpec> out = ListenerSpec.parseList(ADVERTISED_LISTENERS, value);
    for (ListenerSpec a : out) {
      if (listeners.stream().noneMatch(l -> l.name().equals(a.name()))) {
        throw new ConfigException(ADVERTISED_LISTENERS, value, "listener " + a.name() + " is not in " + LISTENERS);
      }
      if (a.wildcard()) {
        throw new ConfigException(ADVERTISED_LISTENERS, value, "cannot advertise the wildcard address of " + a);
      }
    }
    return List.copyOf(out);
  }

  private List<Path> parseLogDirs() {
    List<String> dirs = getList(LOG_DIRS);
    if (dirs == null || dirs.isEmpty()) {
      dirs = List.of(getString(LOG_DIR));
    }
    List<Path> out = new ArrayList<>();
    for (String d : dirs) {
      if (d.isBlank()) {
        throw new ConfigException(LOG_DIRS, dirs, "empty directory name");
      }
      out.add(Path.of(d.trim()).toAbsolutePath().normalize());
    }
    if (out.stream().distinct().count() != out.size()) {
      throw new ConfigException(LOG_DIRS, dirs, "a directory is listed twice");
    }
    return List.copyOf(out);
  }

  private static ConfigDef configDef() {
    ConfigDef def = new ConfigDef()
        .define(NODE_ID, Type.INT, 1, atLeast(0), Importance.HIGH,
            "The id of this broker; unique in a cluster.")
        .define(BROKER_RACK, Type.STRING, null, Importance.MEDIUM,
            "Rack of the broker, for rack-aware replica placement.")
        .define(LISTENERS, Type.STRING, "PLAINTEXT://0.0.0.0:9092", Importance.HIGH,
            "Comma-separated NAME://host:port to listen on; an empty host or 0.0.0.0 binds every interface.")
        .define(ADVERTISED_LISTENERS, Type.STRING, null, Importance.HIGH,
            "Endpoints given to clients in Metadata; defaults to the listeners, with localhost for a wildcard host.")
        .define(LISTENER_SECURITY_PROTOCOL_MAP, Type.STRING, "PLAINTEXT:PLAINTEXT", Importance.LOW,
            "Security protocol of each listener name; only PLAINTEXT is served.")
        .define(LOG_DIRS, Type.LIST, null, Importance.HIGH,
            "Comma-separated directories for the log data; if unset, log.dir is used.")
        .define(LOG_DIR, Type.STRING, "data", Importance.HIGH,
            "The directory for the log data when log.dirs is not set.")
        .define(NUM_PARTITIONS, Type.INT, 1, atLeast(1), Importance.MEDIUM,
            "Default number of partitions of a new topic.")
        .define(DEFAULT_REPLICATION_FACTOR, Type.INT, 1, ConfigDef.Range.between(1, Short.MAX_VALUE), Importance.MEDIUM,
            "Default replication factor of a new topic.")
        .define(AUTO_CREATE_TOPICS_ENABLE, Type.BOOLEAN, true, Importance.HIGH,
            "Create a topic when a client asks for metadata about it.")
        .define(DELETE_TOPIC_ENABLE, Type.BOOLEAN, true, Importance.HIGH,
            "Allow DeleteTopics; when false it answers TOPIC_DELETION_DISABLED.")
        .define(SOCKET_REQUEST_MAX_BYTES, Type.INT, 100 * 1024 * 1024, atLeast(1), Importance.HIGH,
            "Largest request frame; a bigger one closes the connection.")
        .define(SOCKET_SEND_BUFFER_BYTES, Type.INT, 100 * 1024, atLeast(-1), Importance.MEDIUM,
            "SO_SNDBUF of client sockets; -1 for the OS default.")
        .define(SOCKET_RECEIVE_BUFFER_BYTES, Type.INT, 100 * 1024, atLeast(-1), Importance.MEDIUM,
            "SO_RCVBUF of client sockets; -1 for the OS default.")
        .define(MAX_CONNECTIONS, Type.INT, Integer.MAX_VALUE, atLeast(1), Importance.MEDIUM,
            "Client connections open at once; a connection beyond it is closed at once.")
        .define(QUEUED_MAX_REQUESTS, Type.INT, 500, atLeast(1), Importance.HIGH,
            "Requests read but not yet answered on one connection; at the bound the broker stops reading it.")
        .define(CONNECTIONS_MAX_IDLE_MS, Type.LONG, 10 * 60 * 1000L, atLeast(1), Importance.MEDIUM,
            "Idle connections are closed after this long.")
        .define(NUM_NETWORK_THREADS, Type.INT, 3, atLeast(1), Importance.HIGH,
            "Instances of each listener (each on its own event loop) that share its connections.")
        .define(FETCH_MAX_BYTES, Type.INT, 55 * 1024 * 1024, atLeast(1024), Importance.MEDIUM,
            "Most bytes one Fetch response carries, whatever the request asks.");
    // The group coordinator's keys (group.*, offsets.*), defined by it.
    GroupCoordinatorConfig.CONFIG_DEF.configKeys().values().forEach(def::define);
    // Clustering (cluster.*) and replication (replica.*, leader balance, controlled shutdown).
    io.millrace.engine.cluster.ClusterConfig.CONFIG_DEF.configKeys().values().forEach(def::define);
    io.millrace.engine.replication.ReplicationConfig.CONFIG_DEF.configKeys().values().forEach(def::define);
    // The metrics endpoint and series (metrics.*), defined by the metrics package.
    MetricsConfig.CONFIG_DEF.configKeys().values().forEach(def::define);
    for (Map.Entry<String, String> e : LogConfig.brokerDefaultKeys().entrySet()) {
      String brokerKey = e.getKey();
      ConfigKey topicKey = LogConfig.CONFIG_DEF.configKeys().get(e.getValue());
      String doc = "Broker-wide default of the topic config " + e.getValue() + ".";
      if (COARSE_UNIT_KEYS.contains(brokerKey)) {
        def.define(brokerKey, Type.INT, COARSE_UNIT_DEFAULTS.get(brokerKey), Importance.HIGH, doc);
      } else if (UNSET_BY_DEFAULT.contains(brokerKey)) {
        ConfigDef.Validator validator = topicKey.validator;
        def.define(brokerKey, topicKey.type, null, validator == null ? null : (name, value) -> {
          if (value != null) {
            validator.ensureValid(name, value);
          }
        }, Importance.HIGH, doc);
      } else {
        def.define(brokerKey, topicKey.type, topicKey.defaultValue, topicKey.validator, Importance.MEDIUM, doc);
      }
    }
    // The log manager's own keys (retention checks, cleaner threads, checkpoints, recovery threads).
    for (ConfigKey key : LogManagerConfig.CONFIG_DEF.configKeys().values()) {
      def.define(key.name, key.type, key.defaultValue, key.validator, key.importance, key.documentation);
    }
    return def;
  }
}
