package io.millrace.streams.internals.runtime;

import io.millrace.streams.internals.topology.InternalTopologyBuilder;
import io.millrace.streams.internals.topology.NodeDef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where source partitions without a (valid) committed offset start: the source's own policy
 * ({@code Consumed.with(AutoOffsetReset)}), else the application's {@code auto.offset.reset}. The
 * main consumer itself runs with {@code auto.offset.reset=none}, so that each source decides.
 *
 * <p>Threading: immutable; {@link #reset} on the consumer's thread.
 */
final class SourceOffsetReset {
  private static final Logger log = LoggerFactory.getLogger(SourceOffsetReset.class);
  private final Map<String, NodeDef.OffsetReset> bySourceTopic = new HashMap<>();
  private final boolean defaultEarliest;

  SourceOffsetReset(InternalTopologyBuilder topology, String applicationId, String autoOffsetReset) {
    for (NodeDef n : topology.nodes().values()) {
      if (n instanceof NodeDef.Source s) {
        s.topics().forEach(t -> bySourceTopic.put(topology.resolveTopic(applicationId, t), s.offsetReset()));
      }
    }
    this.defaultEarliest = "earliest".equals(autoOffsetReset);
  }

  /** Seeks each partition to the beginning or the end, as its source says. */
  void reset(Consumer<?, ?> consumer, Set<TopicPartition> partitions, String threadName) {
    List<TopicPartition> earliest = new ArrayList<>();
    List<TopicPartition> latest = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      NodeDef.OffsetReset reset = bySourceTopic.getOrDefault(tp.topic(), NodeDef.OffsetReset.DEFAULT);
      boolean toEarliest = reset == NodeDef.OffsetReset.EARLIEST
          || (reset == NodeDef.OffsetReset.DEFAULT && defaultEarliest);
      (toEarliest ? earliest : latest).add(tp);
    }
    if (!earliest.isEmpty()) {
      consumer.seekToBeginning(earliest);
    }
    if (!latest.isEmpty()) {
      consumer.seekToEnd(latest);
    }
    log.info("{}: no committed offsets (or out of range) for {}; starting from the beginning of {} and the end of {}",
        threadName, partitions, earliest, latest);
  }
}
