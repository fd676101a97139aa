package io.millrace.engine.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumer group series, computed by the broker itself (Kafka needs a separate lag exporter):
 *
 * <pre>
 *   millrace_groups{state}                                  groups coordinated here, by state
 *   millrace_group_members{group}                           members of each group
 *   millrace_group_state{group,state}                       1, for the group's current state
 *   millrace_group_rebalances_total{group}                  completed rebalances seen here
 *   millrace_group_topic_lag_records{group,topic}           high watermark minus committed offset,
 *                                                           summed over the topic's partitions
 *   millrace_group_lag_records{group,topic,partition}       the same per partition    (partition level)
 *   millrace_group_committed_offset{group,topic,partition}  the committed offset      (partition level)
 * </pre>
 *
 * The values are refreshed by {@link #refresh()}, which the metrics endpoint calls before every
 * scrape: the coordinator snapshots its groups on their owner contexts, and the lag is taken
 * against the high watermarks of the partitions hosted here (a partition led by another broker has
 * no lag series on this one). Lag is never negative. Thread-safe.
 */
public final class GroupMetrics {

  /** Group states as Kafka names them. */
  enum State {
    EMPTY("Empty"), PREPARING_REBALANCE("PreparingRebalance"), COMPLETING_REBALANCE("CompletingRebalance"),
    STABLE("Stable"), DEAD("Dead");

    final String wireName;

    State(String wireName) {
      this.wireName = wireName;
    }
  }

  private final OwnedMeters meters;
  private final boolean partitionLevel;
  private final Supplier<Future<List<GroupSnapshot>>> groups;
  private final Function<TopicPartition, OptionalLong> highWatermark;
  private final Map<State, AtomicInteger> byState = new EnumMap<>(State.class);
  private final GaugeSet members;
  private final GaugeSet states;
  private final GaugeSet topicLag;
  private final GaugeSet partitionLag;
  private final GaugeSet committed;
  private final Map<String, Integer> generations = new HashMap<>();
  private final Map<String, Counter> rebalances = new HashMap<>();

  /**
   * @param groups snapshots of the groups coordinated here, taken on their owner contexts
   * @param highWatermark the high watermark of a partition hosted here, or empty
   */
  GroupMetrics(OwnedMeters meters, boolean partitionLevel, Supplier<Future<List<GroupSnapshot>>> groups,
      Function<TopicPartition, OptionalLong> highWatermark) {
    this.meters = meters;
    this.partitionLevel = partitionLevel;
    this.groups = groups;
    this.highWatermark = highWatermark;
    for (State s : State.values()) {
      AtomicInteger count = new AtomicInteger();
      byState.put(s, count);
      meters.own(Gauge.builder("millrace.groups", count, AtomicInteger::get).tag("state", s.wireName)
          .description("Consumer groups coordinated by this broker, by state").register(meters.registry()));
    }
    members = new GaugeSet(meters, "millrace.group.members", null, "Members of a consumer group");
    states = new GaugeSet(meters, "millrace.group.state", null,
        "1 for the current state of a consumer group (label state)");
    topicLag = new GaugeSet(meters, "millrace.group.topic.lag", "records",
        "Records a group has yet to consume from a topic: high watermark minus committed offset, summed");
    partitionLag = new GaugeSet(meters, "millrace.group.lag", "records",
        "Records a group has yet to consume from a partition: high watermark minus committed offset");
    committed = new GaugeSet(meters, "millrace.group.committed.offset", null,
        "Offset a group committed for a partition");
  }

  /** Takes new snapshots and updates every group series; completes when they are updated. */
  public Future<Void> refresh() {
    return groups.get().map(snapshots -> {
      apply(snapshots);
      return null;
    });
  }

  private synchronized void apply(List<GroupSnapshot> snapshots) {
    Map<State, Integer> counts = new EnumMap<>(State.class);
    Map<Tags, Double> memberValues = new HashMap<>();
    Map<Tags, Double> stateValues = new HashMap<>();
    Map<Tags, Double> topicLagValues = new HashMap<>();
    Map<Tags, Double> lagValues = new HashMap<>();
    Map<Tags, Double> committedValues = new HashMap<>();
    Map<String, Integer> seen = new HashMap<>();
    for (GroupSnapshot g : snapshots) {
      State state = state(g.state());
      if (state != null) {
        counts.merge(state, 1, Integer::sum);
      }
      Tags group = Tags.of("group", g.groupId());
      memberValues.put(group, (double) g.members());
      stateValues.put(group.and("state", g.state()), 1.0);
      countRebalances(g);
      seen.put(g.groupId(), g.generation());
      for (Map.Entry<TopicPartition, Long> e : g.committedOffsets().entrySet()) {
        TopicPartition tp = e.getKey();
        OptionalLong hw = highWatermark.apply(tp);
        Tags topic = group.and("topic", tp.topic());
        if (hw.isPresent()) {
          double lag = Math.max(0, hw.getAsLong() - e.getValue());
          topicLagValues.merge(topic, lag, Double::sum);
          if (partitionLevel) {
            lagValues.put(topic.and("partition", String.valueOf(tp.partition())), lag);
          }
        }
        if (partitionLevel) {
          committedValues.put(topic.and("partition", String.valueOf(tp.partition())), (double) e.getValue());
        }
      }
    }
    for (State s : State.values()) {
      byState.get(s).set(counts.getOrDefault(s, 0));
    }
    members.update(memberValues);
    states.update(stateValues);
    topicLag.update(topicLagValues);
    partitionLag.update(lagValues);
    committed.update(committedValues);
    forgetGone(seen);
  }

  /** A generation step since the last snapshot is a completed rebalance. */
  private void countRebalances(GroupSnapshot g) {
    Counter counter = rebalances.computeIfAbsent(g.groupId(), id -> meters.own(
        Counter.builder("millrace.group.rebalances").tag("group", id)
            .description("Rebalances of a consumer group completed (generations started) while coordinated here")
            .register(meters.registry())));
    Integer last = generations.get(g.groupId());
    if (last != null && g.generation() > last) {
      counter.increment(g.generation() - last);
    }
  }

  private void forgetGone(Map<String, Integer> seen) {
    rebalances.entrySet().removeIf(e -> {
      if (seen.containsKey(e.getKey())) {
        return false;
      }
      meters.remove(e.getValue());
      return true;
    });
    generations.clear();
    generations.putAll(seen);
  }

  private static State state(String wireName) {
    for (State s : State.values()) {
      if (s.wireName.equalsIgnoreCase(wireName)) {
        return s;
      }
    }
    return null;
  }

  synchronized void close() {
    members.clear();
    states.clear();
    topicLag.clear();
    partitionLag.clear();
    committed.clear();
    rebalances.values().forEach(meters::remove);
    rebalances.clear();
  }
}
