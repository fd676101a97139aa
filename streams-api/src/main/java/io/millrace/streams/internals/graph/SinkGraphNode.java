package io.millrace.streams.internals.graph;

import io.millrace.streams.internals.topology.InternalTopologyBuilder;
import io.millrace.streams.internals.topology.NodeDef;
import io.millrace.streams.processor.StreamPartitioner;
import io.millrace.streams.processor.TopicNameExtractor;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;

/**
 * Writes to a topic (fixed or chosen per record).
 *
 * <p>Threading: built on one thread while the topology is described (the {@code StreamsBuilder}'s),
 * read-only afterwards.
 */
public final class SinkGraphNode extends GraphNode {
  private final String topic;
  private final TopicNameExtractor<?, ?> extractor;
  private final Serde<?> keySerde;
  private final Serde<?> valueSerde;
  private final StreamPartitioner<?, ?> partitioner;

  public SinkGraphNode(String name, String topic, TopicNameExtractor<?, ?> extractor,
      Serde<?> keySerde, Serde<?> valueSerde, StreamPartitioner<?, ?> partitioner) {
    super(name);
    this.topic = topic;
    this.extractor = extractor;
    this.keySerde = keySerde;
    this.valueSerde = valueSerde;
    this.partitioner = partitioner;
  }

  @Override
  public void writeTo(InternalTopologyBuilder builder) {
    builder.addSink(new NodeDef.Sink(name(), topic, extractor,
        keySerde == null ? null : keySerde.serializer(),
        valueSerde == null ? null : valueSerde.serializer(),
        partitioner, List.of(parentOutputs())));
  }
}
