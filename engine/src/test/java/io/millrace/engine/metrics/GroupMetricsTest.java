package io.millrace.engine.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class GroupMetricsTest {

  final MeterRegistry registry = new SimpleMeterRegistry();
  final List<GroupSnapshot> groups = new ArrayList<>();
  final Map<TopicPartition, Long> highWatermarks = new HashMap<>();

  GroupMetrics metrics(boolean partitionLevel) {
    return new GroupMetrics(new OwnedMeters(registry), partitionLevel, () -> Future.succeededFuture(List.copyOf(groups)),
        tp -> highWatermarks.containsKey(tp) ? OptionalLong.of(highWatermarks.get(tp)) : OptionalLong.empty());
  }

  static TopicPartition tp(String topic, int p) {
    return new TopicPartition(topic, p);
  }

  double gauge(String name, String... tags) {
    return registry.get(name).tags(tags).gauge().value();
  }

  @Test
  void lagIsHighWatermarkMinusCommittedNeverNegativeAndSummedPerTopic() {
    highWatermarks.put(tp("orders", 0), 100L);
    highWatermarks.put(tp("orders", 1), 50L);
    highWatermarks.put(tp("orders", 2), 10L);
    groups.add(new GroupSnapshot("billing", "Stable", 3, 2,
        Map.of(tp("orders", 0), 60L, tp("orders", 1), 50L, tp("orders", 2), 12L)));
    GroupMetrics m = metrics(true);
    m.refresh();
    assertThat(gauge("millrace.group.lag", "group", "billing", "partition", "0")).isEqualTo(40);
    assertThat(gauge("millrace.group.lag", "group", "billing", "partition", "1")).isZero();
    assertThat(gauge("millrace.group.lag", "group", "billing", "partition", "2")).isZero();
    assertThat(gauge("millrace.group.topic.lag", "group", "billing", "topic", "orders")).isEqualTo(40);
    assertThat(gauge("millrace.group.committed.offset", "group", "billing", "partition", "2")).isEqualTo(12);
    assertThat(gauge("millrace.group.members", "group", "billing")).isEqualTo(2);
    assertThat(gauge("millrace.group.state", "group", "billing", "state", "Stable")).isEqualTo(1);
    assertThat(gauge("millrace.groups", "state", "Stable")).isEqualTo(1);
    assertThat(gauge("millrace.groups", "state", "Empty")).isZero();
  }

  @Test
  void partitionsLedElsewhereHaveNoLagButTheirCommittedOffsetShows() {
    groups.add(new GroupSnapshot("g", "Empty", 0, 0, Map.of(tp("remote", 0), 5L)));
    GroupMetrics m = metrics(true);
    m.refresh();
    assertThat(registry.find("millrace.group.lag").gauges()).isEmpty();
    assertThat(registry.find("millrace.group.topic.lag").gauges()).isEmpty();
    assertThat(gauge("millrace.group.committed.offset", "group", "g")).isEqualTo(5);
  }

  @Test
  void seriesOfGoneGroupsAndPartitionsAreRemoved() {
    highWatermarks.put(tp("orders", 0), 10L);
    groups.add(new GroupSnapshot("a", "Stable", 1, 1, Map.of(tp("orders", 0), 1L)));
    groups.add(new GroupSnapshot("b", "PreparingRebalance", 4, 3, Map.of()));
    GroupMetrics m = metrics(true);
    m.refresh();
    assertThat(registry.find("millrace.group.members").gauges()).hasSize(2);
    groups.remove(0);
    m.refresh();
    assertThat(registry.find("millrace.group.members").gauges()).hasSize(1);
    assertThat(registry.find("millrace.group.lag").gauges()).isEmpty();
    assertThat(registry.find("millrace.group.rebalances").counters()).hasSize(1);
    assertThat(gauge("millrace.groups", "state", "PreparingRebalance")).isEqualTo(1);
    assertThat(gauge("millrace.groups", "state", "Stable")).isZero();
    m.close();
    assertThat(registry.find("millrace.group.members").gauges()).isEmpty();
    assertThat(registry.find("millrace.group.rebalances").counters()).isEmpty();
  }

  @Test
  void stateChangesReplaceTheStateSeries() {
    groups.add(new GroupSnapshot("a", "PreparingRebalance", 1, 1, Map.of()));
    GroupMetrics m = metrics(false);
    m.refresh();
    groups.set(0, new GroupSnapshot("a", "Stable", 2, 1, Map.of()));
    m.refresh();
    assertThat(registry.find("millrace.group.state").gauges()).hasSize(1);
    assertThat(gauge("millrace.group.state", "group", "a", "state", "Stable")).isEqualTo(1);
  }

  @Test
  void generationStepsCountAsRebalances() {
    groups.add(new GroupSnapshot("a", "Stable", 7, 1, Map.of()));
    GroupMetrics m = metrics(false);
    m.refresh();
    assertThat(registry.get("millrace.group.rebalances").tag("group", "a").counter().count()).isZero();
    groups.set(0, new GroupSnapshot("a", "Stable", 9, 2, Map.of()));
    m.refresh();
    assertThat(registry.get("millrace.group.rebalances").tag("group", "a").counter().count()).isEqualTo(2);
    // A group deleted and made again starts at generation 0: not a negative count.
    groups.set(0, new GroupSnapshot("a", "Empty", 0, 0, Map.of()));
    m.refresh();
    assertThat(registry.get("millrace.group.rebalances").tag("group", "a").counter().count()).isEqualTo(2);
  }

  @Test
  void withoutPartitionLevelOnlyTopicTotalsRemain() {
    highWatermarks.put(tp("orders", 0), 10L);
    highWatermarks.put(tp("orders", 1), 20L);
    groups.add(new GroupSnapshot("a", "Empty", 1, 0, Map.of(tp("orders", 0), 4L, tp("orders", 1), 4L)));
    GroupMetrics m = metrics(false);
    m.refresh();
    assertThat(registry.find("millrace.group.lag").gauges()).isEmpty();
    assertThat(registry.find("millrace.group.committed.offset").gauges()).isEmpty();
    assertThat(gauge("millrace.group.topic.lag", "group", "a", "topic", "orders")).isEqualTo(22);
  }
}
