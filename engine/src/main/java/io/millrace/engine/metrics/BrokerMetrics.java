package io.millrace.engine.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;

/**
 * Every series of one broker, in one registry (the broker's own Prometheus registry, or one the
 * process shares between its parts). The broker builds it first and hands each part its piece:
 * the listeners their {@link ListenerMetrics}, the dispatcher {@link RequestMetrics}, the hosted
 * partitions {@link LogMetrics}, the controller's listeners {@link ClusterMetrics}; the group
 * coordinator is bound once it exists. {@code docs/metrics.md} lists every series.
 *
 * <p>Thread-safe. {@link #close()} removes every series this broker registered, so a broker
 * restarted in the same JVM with the same registry starts clean.
 */
public final class BrokerMetrics implements AutoCloseable {

  private final OwnedMeters meters;
  private final int nodeId;
  private final boolean partitionLevel;
  private final RequestMetrics requests;
  private final LogMetrics logs;
  private final ClusterMetrics cluster;
  private final Map<String, ListenerMetrics> listeners = new ConcurrentHashMap<>();
  private volatile GroupMetrics groups;

  /**
   * @param defaultMinIsr the broker's {@code min.insync.replicas}, for topics without their own
   */
  public BrokerMetrics(MeterRegistry registry, int nodeId, int defaultMinIsr, boolean partitionLevel) {
    this.meters = new OwnedMeters(registry);
    this.nodeId = nodeId;
    this.partitionLevel = partitionLevel;
    this.requests = new RequestMetrics(meters);
    this.logs = new LogMetrics(meters, partitionLevel);
    this.cluster = new ClusterMetrics(meters, nodeId, defaultMinIsr, partitionLevel);
  }

  /** Publishes {@code millrace_broker_info}, once the cluster id is known. */
  public void publishInfo(String clusterId, String version) {
    meters.own(Gauge.builder("millrace.broker.info", () -> 1).tag("node_id", String.valueOf(nodeId))
        .tag("cluster_id", clusterId).tag("version", version)
        .description("Always 1; the labels say which broker, cluster and version").register(meters.registry()));
  }

  public MeterRegistry registry() {
    return meters.registry();
  }

  public RequestMetrics requests() {
    return requests;
  }

  /** The series of the listener named {@code name} (one object per name). */
  public ListenerMetrics listener(String name) {
    return listeners.computeIfAbsent(name, n -> new ListenerMetrics(meters, n));
  }

  public LogMetrics logs() {
    return logs;
  }

  /** The metadata listener that keeps the replication and controller series. */
  public ClusterMetrics cluster() {
    return cluster;
  }

  /**
   * Publishes the group series of a coordinator.
   *
   * @param snapshots snapshots of the groups it coordinates
   * @param highWatermark high watermarks of the partitions hosted here
   */
  public void bindGroups(Supplier<Future<List<GroupSnapshot>>> snapshots,
      Function<TopicPartition, OptionalLong> highWatermark) {
    groups = new GroupMetrics(meters, partitionLevel, snapshots, highWatermark);
  }

  /** Brings the values computed on demand (consumer groups and lag) up to date. */
  public Future<Void> refresh() {
    GroupMetrics g = groups;
    return g == null ? Future.succeededFuture() : g.refresh();
  }

  @Override
  public void close() {
    GroupMetrics g = groups;
    if (g != null) {
      g.close();
    }
    cluster.close();
    meters.removeAll();
  }
}
