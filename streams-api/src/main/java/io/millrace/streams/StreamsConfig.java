package io.millrace.streams;

import io.millrace.streams.errors.DefaultProductionExceptionHandler;
import io.millrace.streams.errors.LogAndFailExceptionHandler;
import io.millrace.streams.processor.FailOnInvalidTimestamp;
import java.io.File;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The configuration of a streams application, Kafka Streams' keys where they mean the same.
 * Every key, its default and meaning is in {@link #configDef()} and the module README.
 *
 * <p>Client settings pass through to the clients the runtime makes: any key the consumer,
 * producer or admin client knows applies to it, and {@code consumer.}, {@code producer.},
 * {@code admin.}, {@code main.consumer.} and {@code restore.consumer.} prefixes aim a setting
 * at one of them.
 *
 * <p>Immutable once made; thread-safe. A bad value fails at construction with Kafka's {@code
 * ConfigException} naming the key.
 */
public final class StreamsConfig extends AbstractConfig {
  public static final String APPLICATION_ID_CONFIG = "application.id";
  public static final String BOOTSTRAP_SERVERS_CONFIG = CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG;
  public static final String CLIENT_ID_CONFIG = CommonClientConfigs.CLIENT_ID_CONFIG;
  public static final String NUM_STREAM_THREADS_CONFIG = "num.stream.threads";
  public static final String PROCESSING_GUARANTEE_CONFIG = "processing.guarantee";
  public static final String AT_LEAST_ONCE = "at_least_once";
  public static final String COMMIT_INTERVAL_MS_CONFIG = "commit.interval.ms";
  public static final String STATE_DIR_CONFIG = "state.dir";
  public static final String NUM_STANDBY_REPLICAS_CONFIG = "num.standby.replicas";
  public static final String STATESTORE_CACHE_MAX_BYTES_CONFIG = "statestore.cache.max.bytes";
  public static final String DEFAULT_KEY_SERDE_CLASS_CONFIG = "default.key.serde";
  public static final String DEFAULT_VALUE_SERDE_CLASS_CONFIG = "default.value.serde";
  public static final String DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG = "default.timestamp.extractor";
  public static final String DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG =
      "deserialization.exception.handler";
  public static final String PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG = "production.exception.handler";
  public static final String ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG =
      "errors.dead.letter.queue.topic.name";
  public static final String REPLICATION_FACTOR_CONFIG = "replication.factor";
  public static final String POLL_MS_CONFIG = "poll.ms";
  public static final String BUFFERED_RECORDS_PER_PARTITION_CONFIG = "buffered.records.per.partition";
  public static final String TOPOLOGY_OPTIMIZATION_CONFIG = "topology.optimization";
  public static final String OPTIMIZE = "all";
  public static final String NO_OPTIMIZATION = "none";
  public static final String AUTO_OFFSET_RESET_CONFIG = ConsumerConfig.AUTO_OFFSET_RESET_CONFIG;
  public static final String APPLICATION_SERVER_CONFIG = "application.server";
  public static final String WINDOW_STORE_CHANGE_LOG_ADDITIONAL_RETENTION_MS_CONFIG =
      "windowstore.changelog.additional.retention.ms";
  public static final String STARTUP_TOPIC_TIMEOUT_MS_CONFIG = "startup.topic.timeout.ms";
  public static final String REPARTITION_PURGE_INTERVAL_MS_CONFIG = "repartition.purge.interval.ms";

  public static final String CONSUMER_PREFIX = "consumer.";
  public static final String MAIN_CONSUMER_PREFIX = "main.consumer.";
  public static final String RESTORE_CONSUMER_PREFIX = "restore.consumer.";
  public static final String PRODUCER_PREFIX = "producer.";
  public static final String ADMIN_CLIENT_PREFIX = "admin.";

  private static final ConfigDef CONFIG =
      new ConfigDef()
          .define(APPLICATION_ID_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
              new ConfigDef.NonEmptyString(), Importance.HIGH,
              "The application's id: names its consumer group, the prefix of its internal topics"
                  + " and its directory under state.dir. Instances with the same id share the work.")
          .define(BOOTSTRAP_SERVERS_CONFIG, Type.LIST, "", Importance.HIGH,
              "host:port pairs of brokers to connect to first (required to run; the test driver"
                  + " needs none).")
          .define(CLIENT_ID_CONFIG, Type.STRING, "", Importance.MEDIUM,
              "Prefix of the client ids of the application's consumers and producers; the"
                  + " application id and a unique suffix if empty.")
          .define(NUM_STREAM_THREADS_CONFIG, Type.INT, 1, Range.atLeast(1), Importance.HIGH,
              "Stream threads in this instance; each runs some of the tasks.")
          .define(PROCESSING_GUARANTEE_CONFIG, Type.STRING, AT_LEAST_ONCE,
              ValidString.in(AT_LEAST_ONCE), Importance.MEDIUM,
              "at_least_once: after a failure some records are processed again, none is lost.")
          .define(COMMIT_INTERVAL_MS_CONFIG, Type.LONG, 30_000L, Range.atLeast(0), Importance.LOW,
              "How often tasks commit: flush caches and stores, commit input offsets, checkpoint.")
          .define(STATE_DIR_CONFIG, Type.STRING,
              System.getProperty("java.io.tmpdir") + File.separator + "millrace-streams",
              Importance.HIGH, "Directory for local state (one sub-directory per application and task).")
          .define(NUM_STANDBY_REPLICAS_CONFIG, Type.INT, 0, Range.atLeast(0), Importance.LOW,
              "Warm copies of each task's stores kept by other instances, for fast failover.")
          .define(STATESTORE_CACHE_MAX_BYTES_CONFIG, Type.LONG, 10L * 1024 * 1024, Range.atLeast(0),
              Importance.MEDIUM,
              "Record cache for all threads: writes to a cached store reach the changelog and"
                  + " downstream once per commit per key. 0 turns caching off.")
          .define(DEFAULT_KEY_SERDE_CLASS_CONFIG, Type.CLASS, null, Importance.MEDIUM,
              "Key serde where the topology gives none.")
          .define(DEFAULT_VALUE_SERDE_CLASS_CONFIG, Type.CLASS, null, Importance.MEDIUM,
              "Value serde where the topology gives none.")
          .define(DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, Type.CLASS, FailOnInvalidTimestamp.class,
              Importance.MEDIUM, "Event time of each record where the topology gives no extractor.")
          .define(DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, Type.CLASS,
              LogAndFailExceptionHandler.class, Importance.MEDIUM,
              "What to do with records that cannot be deserialized.")
          .define(PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, Type.CLASS,
              DefaultProductionExceptionHandler.class, Importance.MEDIUM,
              "What to do when a sink cannot serialize or produce a record.")
          .define(ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Type.STRING, null, Importance.MEDIUM,
              "Dead-letter topic for DeadLetterQueueExceptionHandler (must exist).")
          .define(REPLICATION_FACTOR_CONFIG, Type.SHORT, (short) -1, Importance.MEDIUM,
              "Replication factor of repartition and changelog topics; -1 for the broker default.")
          .define(POLL_MS_CONFIG, Type.LONG, 100L, Range.atLeast(0), Importance.LOW,
              "How long a stream thread waits in poll when it has nothing buffered.")
          .define(BUFFERED_RECORDS_PER_PARTITION_CONFIG, Type.INT, 1000, Range.atLeast(1),
              Importance.LOW, "Records buffered per input partition before it is paused.")
          .define(TOPOLOGY_OPTIMIZATION_CONFIG, Type.STRING, OPTIMIZE,
              ValidString.in(OPTIMIZE, NO_OPTIMIZATION), Importance.MEDIUM,
              "all: merge repartition topics of the same re-keyed stream; none: as written.")
          .define(AUTO_OFFSET_RESET_CONFIG, Type.STRING, "earliest",
              ValidString.in("earliest", "latest"), Importance.MEDIUM,
              "Where sources start without a committed offset (per source: Consumed).")
          .define(APPLICATION_SERVER_CONFIG, Type.STRING, "", Importance.LOW,
              "host:port where this instance serves interactive queries, shared with the others.")
          .define(WINDOW_STORE_CHANGE_LOG_ADDITIONAL_RETENTION_MS_CONFIG, Type.LONG, 86_400_000L,
              Range.atLeast(0), Importance.LOW,
              "Added to a window store's retention for its changelog's retention.ms.")
          .define(STARTUP_TOPIC_TIMEOUT_MS_CONFIG, Type.LONG, 60_000L, Range.atLeast(0),
              Importance.LOW,
              "How long start-up waits for the source topics to exist before failing.")
          .define(REPARTITION_PURGE_INTERVAL_MS_CONFIG, Type.LONG, 30_000L, Range.atLeast(0), Importance.LOW,
              "How often records of repartition topics that every task has committed are deleted.");

  public StreamsConfig(Map<?, ?> props) {
    super(CONFIG, props, false);
  }

  public static StreamsConfig of(Properties props) {
    return new StreamsConfig(props);
  }

  /** Every key of this configuration, with types, defaults and documentation. */
  public static ConfigDef configDef() {
    return new ConfigDef(CONFIG);
  }

  /**
   * The configuration as stores, serdes and processors see it: everything given, with defaults
   * filled in for the streams keys.
   */
  public Map<String, Object> appConfigs() {
    Map<String, Object> m = new HashMap<>(originals());
    values().forEach((k, v) -> {
      if (v != null) {
        m.putIfAbsent(k, v);
      }
    });
    return m;
  }

  /** The main consumer's configuration (group member, manual commits, bytes). */
  public Map<String, Object> mainConsumerConfigs(String groupId, String clientId) {
    Map<String, Object> m = clientConfigs(ConsumerConfig.configNames(), CONSUMER_PREFIX, MAIN_CONSUMER_PREFIX);
    m.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    m.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    m.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    m.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    m.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
    m.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    m.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return m;
  }

  /** The restore consumer's configuration (no group: assigns changelog partitions itself). */
  public Map<String, Object> restoreConsumerConfigs(String clientId) {
    Map<String, Object> m = clientConfigs(ConsumerConfig.configNames(), CONSUMER_PREFIX, RESTORE_CONSUMER_PREFIX);
    m.remove(ConsumerConfig.GROUP_ID_CONFIG);
    m.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    m.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    m.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    m.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    m.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
    m.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    m.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return m;
  }

  /** The producer's configuration: bytes, and Kafka Streams' batching default. */
  public Map<String, Object> producerConfigs(String clientId) {
    Map<String, Object> m = clientConfigs(ProducerConfig.configNames(), PRODUCER_PREFIX);
    m.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    m.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 100);
    m.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    m.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return m;
  }

  public Map<String, Object> adminConfigs(String clientId) {
    Map<String, Object> m = clientConfigs(AdminClientConfig.configNames(), ADMIN_CLIENT_PREFIX);
    m.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
    return m;
  }

  private Map<String, Object> clientConfigs(java.util.Set<String> known, String... prefixes) {
    Map<String, Object> m = new HashMap<>();
    originals().forEach((k, v) -> {
      if (known.contains(k)) {
        m.put(k, v);
      }
    });
    for (String prefix : prefixes) {
      originalsWithPrefix(prefix).forEach(m::put);
    }
    m.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, String.join(",", getList(BOOTSTRAP_SERVERS_CONFIG)));
    return m;
  }
}
