package io.millrace.streams.internals.graph;

import io.millrace.streams.Topology;
import io.millrace.streams.internals.topology.InternalTopologyBuilder;
import io.millrace.streams.internals.topology.NodeDef;
import io.millrace.streams.processor.TimestampExtractor;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;

/**
 * A stream read from topics.
 *
 * <p>Threading: built on one thread while the topology is described (the {@code StreamsBuilder}'s),
 * read-only afterwards.
 */
public final class StreamSourceNode extends GraphNode {
  private final List<String> topics;
  private final Serde<?> keySerde;
  private final Serde<?> valueSerde;
  private final TimestampExtractor extractor;
  private final Topology.AutoOffsetReset reset;

  public StreamSourceNode(String name, List<String> topics, Serde<?> keySerde, Serde<?> valueSerde,
      TimestampExtractor extractor, Topology.AutoOffsetReset reset) {
    super(name);
    this.topics = List.copyOf(topics);
    this.keySerde = keySerde;
    this.valueSerde = valueSerde;
    this.extractor = extractor;
    this.reset = reset;
  }

  @Override
  public Set<String> sourceTopics() {
    return new LinkedHashSet<>(topics);
  }

  @Override
  public void writeTo(InternalTopologyBuilder builder) {
    builder.addSource(new NodeDef.Source(name(), topics,
        keySerde == null ? null : keySerde.deserializer(),
        valueSerde == null ? null : valueSerde.deserializer(),
        extractor,
        reset == null ? NodeDef.OffsetReset.DEFAULT : NodeDef.OffsetReset.valueOf(reset.name())));
  }
}
