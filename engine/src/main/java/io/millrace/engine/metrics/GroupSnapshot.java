package io.millrace.engine.metrics;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/**
 * What the group coordinator tells the metrics about one group it coordinates: read on the
 * group's owner context, then handed over.
 *
 * @param groupId the group
 * @param state its state as Kafka names it on the wire ({@code Stable}, {@code Empty}, ...)
 * @param generation the generation id; each completed rebalance increments it
 * @param members the members now
 * @param committedOffsets committed offset per partition
 */
public record GroupSnapshot(String groupId, String state, int generation, int members,
    Map<TopicPartition, Long> committedOffsets) {
  public GroupSnapshot {
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(state, "state");
    committedOffsets = Map.copyOf(committedOffsets);
  }
}
