package io.millrace.engine.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.millrace.engine.metadata.MetadataImage;
import io.millrace.engine.metadata.MetadataListener;
import io.millrace.engine.metadata.PartitionImage;
import io.millrace.engine.metadata.TopicImage;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.apache.kafka.common.TopicPartition;

/**
 * Replication and controller series, read from the metadata images the controller publishes:
 *
 * <pre>
 *   this broker      millrace_broker_partitions (replicas here), _leader_partitions,
 *                    _under_replicated_partitions, _under_min_isr_partitions (of those it leads),
 *                    millrace_broker_isr_shrinks_total, _isr_expands_total, millrace_metadata_version
 *   the controller   millrace_controller_active (1 on the active controller), and, 0 elsewhere,
 *                    millrace_controller_offline_partitions, _topics, _partitions, _brokers
 *   per partition    millrace_partition_replicas, millrace_partition_in_sync_replicas (partitions
 *   (optional)       led here)
 * </pre>
 *
 * A single node leads everything with itself as the ISR and is its own controller; the cluster
 * controller fills the same images with real replica sets and ISRs, so these series need no change.
 *
 * <p>Thread-safe: images arrive one at a time ({@link MetadataListener}); gauges read the latest
 * image's counts, computed once per image on the first read.
 */
public final class ClusterMetrics implements MetadataListener {

  private final OwnedMeters meters;
  private final int nodeId;
  private final int defaultMinIsr;
  private final boolean partitionLevel;
  private final Counter isrShrinks;
  private final Counter isrExpands;
  private final Map<TopicPartition, List<Meter>> partitionMeters = new HashMap<>();
  private volatile MetadataImage image;
  private Counts counts;

  /** Counts of one image. */
  private record Counts(long version, int replicas, int leaders, int underReplicated, int underMinIsr,
      int offline, int partitions) {}

  ClusterMetrics(OwnedMeters meters, int nodeId, int defaultMinIsr, boolean partitionLevel) {
    this.meters = meters;
    this.nodeId = nodeId;
    this.defaultMinIsr = defaultMinIsr;
    this.partitionLevel = partitionLevel;
    MeterRegistry registry = meters.registry();
    gauge("millrace.broker.partitions", Counts::replicas, "Partitions with a replica on this broker");
    gauge("millrace.broker.leader.partitions", Counts::leaders, "Partitions this broker leads");
    gauge("millrace.broker.under.replicated.partitions", Counts::underReplicated,
        "Partitions led here whose in-sync replicas are fewer than their replicas");
    gauge("millrace.broker.under.min.isr.partitions", Counts::underMinIsr,
        "Partitions led here with fewer in-sync replicas than min.insync.replicas (acks=all fails)");
    isrShrinks = meters.own(Counter.builder("millrace.broker.isr.shrinks")
        .description("Times the in-sync replica set of a partition led here shrank").register(registry));
    isrExpands = meters.own(Counter.builder("millrace.broker.isr.expands")
        .description("Times the in-sync replica set of a partition led here grew").register(registry));
    meters.own(Gauge.builder("millrace.metadata.version", this, m -> m.image == null ? 0 : m.image.version())
        .description("Version of the metadata image this broker applied last").register(registry));
    meters.own(Gauge.builder("millrace.controller.active", this, m -> m.isActiveController() ? 1 : 0)
        .description("1 on the broker that is the active controller, 0 elsewhere").register(registry));
    controllerGauge("millrace.controller.offline.partitions", Counts::offline, "Partitions without a leader");
    controllerGauge("millrace.controller.partitions", Counts::partitions, "Partitions in the cluster");
    meters.own(Gauge.builder("millrace.controller.topics", this,
            m -> m.isActiveController() ? m.image.topics().size() : 0)
        .description("Topics in the cluster (on the active controller; 0 elsewhere)").register(registry));
    meters.own(Gauge.builder("millrace.controller.brokers", this,
            m -> m.isActiveController() ? m.image.brokers().size() : 0)
        .description("Registered brokers (on the active controller; 0 elsewhere)").register(registry));
  }

  private void gauge(String name, ToIntFunction<Counts> f, String description) {
    meters.own(Gauge.builder(name, this, m -> f.applyAsInt(m.counts())).description(description)
        .register(meters.registry()));
  }

  private void controllerGauge(String name, ToIntFunction<Counts> f, String description) {
    meters.own(Gauge.builder(name, this, m -> m.isActiveController() ? f.applyAsInt(m.counts()) : 0)
        .description(description + " (on the active controller; 0 elsewhere)").register(meters.registry()));
  }

  private boolean isActiveController() {
    MetadataImage current = image;
    return current != null && current.controllerId() == nodeId;
  }

  @Override
  public Future<Void> onImage(MetadataImage previous, MetadataImage next) {
    synchronized (this) {
      countIsrChanges(previous, next);
      if (partitionLevel) {
        updatePartitionMeters(previous, next);
      }
      image = next;
    }
    return Future.succeededFuture();
  }

  /** ISR changes of partitions this broker leads in both images; unchanged topics are skipped by identity. */
  private void countIsrChanges(MetadataImage previous, MetadataImage next) {
    if (previous == null) {
      return;
    }
    for (TopicImage topic : next.topics().values()) {
      TopicImage before = previous.topic(topic.name());
      if (before == topic || before == null || !before.id().equals(topic.id())) {
        continue;
      }
      for (PartitionImage p : topic.partitions()) {
        PartitionImage old = before.partition(p.partition());
        if (old == null || p.leader() != nodeId || old.leader() != nodeId || old.isr().equals(p.isr())) {
          continue;
        }
        Set<Integer> was = new HashSet<>(old.isr());
        Set<Integer> now = new HashSet<>(p.isr());
        if (!was.containsAll(now)) {
          isrExpands.increment();
        }
        if (!now.containsAll(was)) {
          isrShrinks.increment();
        }
      }
    }
  }

  private void updatePartitionMeters(MetadataImage previous, MetadataImage next) {
    Set<TopicPartition> led = new HashSet<>();
    for (TopicImage topic : next.topics().values()) {
      for (PartitionImage p : topic.partitions()) {
        if (p.leader() == nodeId) {
          led.add(new TopicPartition(topic.name(), p.partition()));
        }
      }
    }
    partitionMeters.entrySet().removeIf(e -> {
      if (led.contains(e.getKey())) {
        return false;
      }
      e.getValue().forEach(meters::remove);
      return true;
    });
    for (TopicPartition tp : led) {
      partitionMeters.computeIfAbsent(tp, this::registerPartition);
    }
  }

  private List<Meter> registerPartition(TopicPartition tp) {
    Tags tags = Tags.of("topic", tp.topic(), "partition", String.valueOf(tp.partition()));
    MeterRegistry registry = meters.registry();
    return List.of(
        meters.own(Gauge.builder("millrace.partition.replicas", this, m -> m.replicaCount(tp, false)).tags(tags)
            .description("Assigned replicas of a partition led here").register(registry)),
        meters.own(Gauge.builder("millrace.partition.in.sync.replicas", this, m -> m.replicaCount(tp, true))
            .tags(tags).description("In-sync replicas of a partition led here").register(registry)));
  }

  private double replicaCount(TopicPartition tp, boolean inSync) {
    MetadataImage current = image;
    TopicImage topic = current == null ? null : current.topic(tp.topic());
    PartitionImage p = topic == null ? null : topic.partition(tp.partition());
    if (p == null) {
      return Double.NaN;
    }
    return inSync ? p.isr().size() : p.replicas().size();
  }

  private synchronized Counts counts() {
    MetadataImage current = image;
    if (current == null) {
      return new Counts(-1, 0, 0, 0, 0, 0, 0);
    }
    if (counts != null && counts.version() == current.version()) {
      return counts;
    }
    int replicas = 0;
    int leaders = 0;
    int underReplicated = 0;
    int underMinIsr = 0;
    int offline = 0;
    int partitions = 0;
    for (TopicImage topic : current.topics().values()) {
      int minIsr = minIsr(topic);
      for (PartitionImage p : topic.partitions()) {
        partitions++;
        if (p.leader() < 0 || !current.brokers().containsKey(p.leader())) {
          offline++;
        }
        if (p.replicas().contains(nodeId)) {
          replicas++;
        }
        if (p.leader() == nodeId) {
          leaders++;
          if (p.isr().size() < p.replicas().size()) {
            underReplicated++;
          }
          if (p.isr().size() < minIsr) {
            underMinIsr++;
          }
        }
      }
    }
    counts = new Counts(current.version(), replicas, leaders, underReplicated, underMinIsr, offline, partitions);
    return counts;
  }

  private int minIsr(TopicImage topic) {
    String override = topic.configs().get("min.insync.replicas");
    if (override != null) {
      try {
        return Integer.parseInt(override.trim());
      } catch (NumberFormatException e) {
        return defaultMinIsr;
      }
    }
    return defaultMinIsr;
  }

  synchronized void close() {
    partitionMeters.values().forEach(list -> list.forEach(meters::remove));
    partitionMeters.clear();
  }
}
