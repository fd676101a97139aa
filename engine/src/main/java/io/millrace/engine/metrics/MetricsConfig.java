package io.millrace.engine.metrics;

import static org.apache.kafka.common.config.ConfigDef.Range.between;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The monitoring keys a broker (and the runtime's other processes) read: where the metrics and
 * health HTTP endpoint listens and how many series the broker publishes. The broker's
 * {@code BrokerConfig} includes these definitions, so they are set like every other broker key
 * ({@code --override metrics.port=9645}). Immutable and thread-safe.
 */
public final class MetricsConfig extends AbstractConfig {

  public static final String METRICS_PORT = "metrics.port";
  public static final String METRICS_HOST = "metrics.host";
  public static final String PARTITION_LEVEL_ENABLED = "metrics.partition.level.enabled";

  /** The broker's metrics port; the connect worker and streams applications default to others. */
  public static final int DEFAULT_BROKER_PORT = 9644;

  /** The keys, with the broker's defaults. */
  public static final ConfigDef CONFIG_DEF = configDef(DEFAULT_BROKER_PORT);

  public MetricsConfig(Map<?, ?> props) {
    this(CONFIG_DEF, props);
  }

  private MetricsConfig(ConfigDef def, Map<?, ?> props) {
    super(def, props, false);
  }

  /** The keys with another default port (the connect worker's 9645, a streams application's 9646). */
  public static MetricsConfig withDefaultPort(int defaultPort, Map<?, ?> props) {
    return new MetricsConfig(configDef(defaultPort), props);
  }

  /** The definitions with {@code defaultPort} as the default of {@code metrics.port}. */
  public static ConfigDef configDef(int defaultPort) {
    return new ConfigDef()
        .define(METRICS_PORT, Type.INT, defaultPort, between(-1, 65535), Importance.MEDIUM,
            "Port of the HTTP endpoint serving /metrics (Prometheus), /health and /ready; 0 picks a free "
                + "port, -1 turns the endpoint off (the metrics are still kept).")
        .define(METRICS_HOST, Type.STRING, "0.0.0.0", Importance.LOW,
            "Address the metrics endpoint binds to.")
        .define(PARTITION_LEVEL_ENABLED, Type.BOOLEAN, true, Importance.MEDIUM,
            "Publish per-partition series (log size and offsets, replicas, consumer lag per partition); "
                + "turn off on large clusters to bound the number of series: topic and group totals remain.");
  }

  /** The endpoint's port: 0 for any free port, -1 when the endpoint is off. */
  public int port() {
    return getInt(METRICS_PORT);
  }

  public String host() {
    return getString(METRICS_HOST);
  }

  public boolean partitionLevelEnabled() {
    return getBoolean(PARTITION_LEVEL_ENABLED);
  }
}
