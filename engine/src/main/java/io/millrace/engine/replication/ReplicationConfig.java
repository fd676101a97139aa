package io.millrace.engine.replication;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Replication settings, with Kafka's broker key names and defaults: follower fetching, the ISR's
 * lag bound, leader balancing and controlled shutdown. Built from the broker's properties (keys of
 * other parts are ignored). Immutable and thread-safe; an invalid value throws
 * {@link ConfigException} naming the key.
 */
public final class ReplicationConfig {

  public static final String REPLICA_LAG_TIME_MAX_MS = "replica.lag.time.max.ms";
  public static final String REPLICA_FETCH_WAIT_MAX_MS = "replica.fetch.wait.max.ms";
  public static final String REPLICA_FETCH_MIN_BYTES = "replica.fetch.min.bytes";
  public static final String REPLICA_FETCH_MAX_BYTES = "replica.fetch.max.bytes";
  public static final String REPLICA_FETCH_RESPONSE_MAX_BYTES = "replica.fetch.response.max.bytes";
  public static final String REPLICA_FETCH_BACKOFF_MS = "replica.fetch.backoff.ms";
  public static final String REPLICA_SOCKET_TIMEOUT_MS = "replica.socket.timeout.ms";
  public static final String REPLICA_HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS = "replica.high.watermark.checkpoint.interval.ms";
  public static final String INTER_BROKER_LISTENER_NAME = "inter.broker.listener.name";
  public static final String AUTO_LEADER_REBALANCE_ENABLE = "auto.leader.rebalance.enable";
  public static final String LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS = "leader.imbalance.check.interval.seconds";
  public static final String LEADER_IMBALANCE_PER_BROKER_PERCENTAGE = "leader.imbalance.per.broker.percentage";
  public static final String CONTROLLED_SHUTDOWN_ENABLE = "controlled.shutdown.enable";
  public static final String CONTROLLED_SHUTDOWN_TIMEOUT_MS = "controlled.shutdown.timeout.ms";

  public static final ConfigDef CONFIG_DEF = new ConfigDef()
      .define(REPLICA_LAG_TIME_MAX_MS, Type.LONG, 30_000L, atLeast(1), HIGH,
          "A follower that has not caught up with the leader's log end for this long leaves the ISR"
              + " (through the controller); it rejoins once it has caught up.")
      .define(REPLICA_FETCH_WAIT_MAX_MS, Type.INT, 500, atLeast(0), MEDIUM,
          "How long a follower's fetch waits at the leader for new records; below replica.lag.time.max.ms.")
      .define(REPLICA_FETCH_MIN_BYTES, Type.INT, 1, atLeast(1), MEDIUM,
          "Bytes a follower's fetch waits for before the leader answers.")
      .define(REPLICA_FETCH_MAX_BYTES, Type.INT, 1024 * 1024, atLeast(0), MEDIUM,
          "Bytes a follower fetches per partition per request (the first batch always comes whole).")
      .define(REPLICA_FETCH_RESPONSE_MAX_BYTES, Type.INT, 10 * 1024 * 1024, atLeast(0), MEDIUM,
          "Bytes a follower fetches per request over all partitions.")
      .define(REPLICA_FETCH_BACKOFF_MS, Type.INT, 1000, atLeast(0), MEDIUM,
          "How long a follower waits after a failed fetch (leader unreachable, an error) before trying again.")
      .define(REPLICA_SOCKET_TIMEOUT_MS, Type.INT, 30_000, atLeast(1), LOW,
          "How long a follower waits for the leader's answer before it reconnects.")
      .define(REPLICA_HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS, Type.LONG, 5000L, atLeast(1), LOW,
          "How often the high watermarks are written to replication-offset-checkpoint.")
      .define(INTER_BROKER_LISTENER_NAME, Type.STRING, null, LOW,
          "The listener followers fetch from (the leader's advertised endpoint on it); default: the first listener.")
      .define(AUTO_LEADER_REBALANCE_ENABLE, Type.BOOLEAN, true, HIGH,
          "Let the controller move leadership back to each partition's preferred replica (the first) when"
              + " a broker's share of led partitions is out of balance.")
      .define(LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS, Type.LONG, 300L, atLeast(1), HIGH,
          "How often the controller checks the leader balance.")
      .define(LEADER_IMBALANCE_PER_BROKER_PERCENTAGE, Type.INT, 10, between(0, 100), HIGH,
          "The share of a broker's preferred partitions it may not lead before a rebalance.")
      .define(CONTROLLED_SHUTDOWN_ENABLE, Type.BOOLEAN, true, MEDIUM,
          "On a clean stop, move this broker's leaderships to other in-sync replicas first.")
      .define(CONTROLLED_SHUTDOWN_TIMEOUT_MS, Type.LONG, 30_000L, atLeast(0), MEDIUM,
          "How long a clean stop waits for its leaderships to move before it stops anyway.");

  private final AbstractConfig values;

  public ReplicationConfig(Map<?, ?> props) {
    this.values = new AbstractConfig(CONFIG_DEF, props, false);
    if (replicaFetchWaitMaxMs() >= replicaLagTimeMaxMs()) {
      throw new ConfigException(REPLICA_FETCH_WAIT_MAX_MS, replicaFetchWaitMaxMs(),
          "must be below " + REPLICA_LAG_TIME_MAX_MS + " (" + replicaLagTimeMaxMs() + ")");
    }
  }

  public long replicaLagTimeMaxMs() {
    return values.getLong(REPLICA_LAG_TIME_MAX_MS);
  }

  public int replicaFetchWaitMaxMs() {
    return values.getInt(REPLICA_FETCH_WAIT_MAX_MS);
  }

  public int replicaFetchMinBytes() {
    return values.getInt(REPLICA_FETCH_MIN_BYTES);
  }

  public int replicaFetchMaxBytes() {
    return values.getInt(REPLICA_FETCH_MAX_BYTES);
  }

  public int replicaFetchResponseMaxBytes() {
    return values.getInt(REPLICA_FETCH_RESPONSE_MAX_BYTES);
  }

  public int replicaFetchBackoffMs() {
    return values.getInt(REPLICA_FETCH_BACKOFF_MS);
  }

  public int replicaSocketTimeoutMs() {
    return values.getInt(REPLICA_SOCKET_TIMEOUT_MS);
  }

  public long highWatermarkCheckpointIntervalMs() {
    return values.getLong(REPLICA_HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS);
  }

  /** The configured inter-broker listener, or null for the first listener. */
  public String interBrokerListenerName() {
    return values.getString(INTER_BROKER_LISTENER_NAME);
  }

  public boolean autoLeaderRebalanceEnable() {
    return values.getBoolean(AUTO_LEADER_REBALANCE_ENABLE);
  }

  public long leaderImbalanceCheckIntervalMs() {
    return values.getLong(LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS) * 1000;
  }

  public int leaderImbalancePerBrokerPercentage() {
    return values.getInt(LEADER_IMBALANCE_PER_BROKER_PERCENTAGE);
  }

  public boolean controlledShutdownEnable() {
    return values.getBoolean(CONTROLLED_SHUTDOWN_ENABLE);
  }

  public long controlledShutdownTimeoutMs() {
    return values.getLong(CONTROLLED_SHUTDOWN_TIMEOUT_MS);
  }
}
