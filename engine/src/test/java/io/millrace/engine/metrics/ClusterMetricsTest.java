package io.millrace.engine.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millrace.engine.metadata.BrokerRegistration;
import io.millrace.engine.metadata.MetadataImage;
import io.millrace.engine.metadata.PartitionImage;
import io.millrace.engine.metadata.TopicImage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class ClusterMetricsTest {

  final MeterRegistry registry = new SimpleMeterRegistry();
  final OwnedMeters meters = new OwnedMeters(registry);
  final Uuid ordersId = Uuid.randomUuid();

  ClusterMetrics metrics(int nodeId, boolean partitionLevel) {
    return new ClusterMetrics(meters, nodeId, 2, partitionLevel);
  }

  static PartitionImage p(int index, int leader, List<Integer> replicas, List<Integer> isr) {
    return new PartitionImage(index, leader, 0, replicas, isr, 0);
  }

  MetadataImage image(long version, int controller, Map<String, String> configs, PartitionImage... partitions) {
    Map<Integer, BrokerRegistration> brokers = Map.of(
        1, new BrokerRegistration(1, List.of(), Optional.empty()),
        2, new BrokerRegistration(2, List.of(), Optional.empty()),
        3, new BrokerRegistration(3, List.of(), Optional.empty()));
    TopicImage orders = new TopicImage("orders", ordersId, List.of(partitions), configs);
    return new MetadataImage(version, "cluster", controller, brokers, Map.of("orders", orders), 0);
  }

  double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  @Test
  void countsReplicasLeadersAndUnderReplicatedPartitionsOfThisBroker() {
    ClusterMetrics m = metrics(1, false);
    m.onImage(null, image(1, 2, Map.of(),
        p(0, 1, List.of(1, 2, 3), List.of(1, 2, 3)),
        p(1, 1, List.of(1, 2, 3), List.of(1)),
        p(2, 2, List.of(2, 3, 1), List.of(2, 3)),
        p(3, 3, List.of(3, 2), List.of(3, 2))));
    assertThat(gauge("millrace.broker.partitions")).isEqualTo(3);
    assertThat(gauge("millrace.broker.leader.partitions")).isEqualTo(2);
    assertThat(gauge("millrace.broker.under.replicated.partitions")).isEqualTo(1);
    assertThat(gauge("millrace.broker.under.min.isr.partitions")).isEqualTo(1);
    assertThat(gauge("millrace.metadata.version")).isEqualTo(1);
  }

  @Test
  void controllerSeriesAreZeroExceptOnTheActiveController() {
    ClusterMetrics m = metrics(1, false);
    MetadataImage img = image(1, 2, Map.of(), p(0, -1, List.of(1, 2), List.of()), p(1, 9, List.of(9), List.of(9)),
        p(2, 1, List.of(1), List.of(1)));
    m.onImage(null, img);
    assertThat(gauge("millrace.controller.active")).isZero();
    assertThat(gauge("millrace.controller.offline.partitions")).isZero();
    assertThat(gauge("millrace.controller.topics")).isZero();

    MeterRegistry other = new SimpleMeterRegistry();
    ClusterMetrics controller = new ClusterMetrics(new OwnedMeters(other), 2, 1, false);
    controller.onImage(null, img);
    assertThat(other.get("millrace.controller.active").gauge().value()).isEqualTo(1);
    // No leader, and a leader that is not a registered broker.
    assertThat(other.get("millrace.controller.offline.partitions").gauge().value()).isEqualTo(2);
    assertThat(other.get("millrace.controller.partitions").gauge().value()).isEqualTo(3);
    assertThat(other.get("millrace.controller.topics").gauge().value()).isEqualTo(1);
    assertThat(other.get("millrace.controller.brokers").gauge().value()).isEqualTo(3);
  }

  @Test
  void topicMinInsyncReplicasOverridesTheBrokerDefault() {
    ClusterMetrics m = metrics(1, false);
    m.onImage(null, image(1, 1, Map.of("min.insync.replicas", "3"), p(0, 1, List.of(1, 2, 3), List.of(1, 2))));
    assertThat(gauge("millrace.broker.under.min.isr.partitions")).isEqualTo(1);
    m.onImage(null, image(2, 1, Map.of("min.insync.replicas", "1"), p(0, 1, List.of(1, 2, 3), List.of(1, 2))));
    assertThat(gauge("millrace.broker.under.min.isr.partitions")).isZero();
  }

  @Test
  void isrShrinksAndExpandsOfLedPartitionsAreCounted() {
    ClusterMetrics m = metrics(1, false);
    MetadataImage full = image(1, 1, Map.of(), p(0, 1, List.of(1, 2, 3), List.of(1, 2, 3)),
        p(1, 2, List.of(2, 1), List.of(2, 1)));
    m.onImage(null, full);
    MetadataImage shrunk = image(2, 1, Map.of(), p(0, 1, List.of(1, 2, 3), List.of(1, 3)),
        p(1, 2, List.of(2, 1), List.of(2)));
    m.onImage(full, shrunk);
    assertThat(registry.get("millrace.broker.isr.shrinks").counter().count()).isEqualTo(1);
    assertThat(registry.get("millrace.broker.isr.expands").counter().count()).isZero();
    MetadataImage grown = image(3, 1, Map.of(), p(0, 1, List.of(1, 2, 3), List.of(1, 3, 2)),
        p(1, 2, List.of(2, 1), List.of(2, 1)));
    m.onImage(shrunk, grown);
    assertThat(registry.get("millrace.broker.isr.expands").counter().count()).isEqualTo(1);
    // Same members in another order is no change.
    m.onImage(grown, image(4, 1, Map.of(), p(0, 1, List.of(1, 2, 3), List.of(2, 1, 3)),
        p(1, 2, List.of(2, 1), List.of(2, 1))));
    assertThat(registry.get("millrace.broker.isr.expands").counter().count()).isEqualTo(1);
    assertThat(registry.get("millrace.broker.isr.shrinks").counter().count()).isEqualTo(1);
  }

  @Test
  void partitionSeriesFollowLeadership() {
    ClusterMetrics m = metrics(1, true);
    MetadataImage first = image(1, 1, Map.of(), p(0, 1, List.of(1, 2), List.of(1)), p(1, 2, List.of(2, 1), List.of(2)));
    m.onImage(null, first);
    assertThat(registry.find("millrace.partition.replicas").gauges()).hasSize(1);
    assertThat(registry.get("millrace.partition.in.sync.replicas").tag("partition", "0").gauge().value()).isEqualTo(1);
    MetadataImage moved = image(2, 1, Map.of(), p(0, 2, List.of(1, 2), List.of(2, 1)), p(1, 1, List.of(2, 1), List.of(1, 2)));
    m.onImage(first, moved);
    assertThat(registry.find("millrace.partition.replicas").gauges()).hasSize(1);
    assertThat(registry.get("millrace.partition.in.sync.replicas").tag("partition", "1").gauge().value()).isEqualTo(2);
    m.close();
    assertThat(registry.find("millrace.partition.replicas").gauges()).isEmpty();
  }
}
