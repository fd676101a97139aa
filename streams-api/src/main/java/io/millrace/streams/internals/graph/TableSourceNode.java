package io.millrace.streams.internals.graph;

import io.millrace.streams.Topology;
import io.millrace.streams.internals.topology.InternalTopologyBuilder;
import io.millrace.streams.internals.topology.NodeDef;
import io.millrace.streams.processor.ProcessorSupplier;
import io.millrace.streams.processor.TimestampExtractor;
import io.millrace.streams.state.StoreBuilder;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;

/**
 * A table read from a topic: a source and the processor that materializes it.
 *
 * <p>Threading: built on one thread while the topology is described (the {@code StreamsBuilder}'s),
 * read-only afterwards.
 */
public final class TableSourceNode extends GraphNode {
  private final String sourceName;
  private final String topic;
  private final Serde<?> keySerde;
  private final Serde<?> valueSerde;
  private final TimestampExtractor extractor;
  private final Topology.AutoOffsetReset reset;
  private final ProcessorSupplier<?, ?, ?, ?> supplier;
  private final StoreBuilder<?> store;

  public TableSourceNode(String sourceName, String processorName, String topic, Serde<?> keySerde,
      Serde<?> valueSerde, TimestampExtractor extractor, Topology.AutoOffsetReset reset,
      ProcessorSupplier<?, ?, ?, ?> supplier, StoreBuilder<?> store) {
    super(processorName);
    this.sourceName = sourceName;
    this.topic = topic;
    this.keySerde = keySerde;
    this.valueSerde = valueSerde;
    this.extractor = extractor;
    this.reset = reset;
    this.supplier = supplier;
    this.store = store;
  }

  @Override
  public Set<String> sourceTopics() {
    return Set.of(topic);
  }

  @Override
  public void writeTo(InternalTopologyBuilder builder) {
    builder.addSource(new NodeDef.Source(sourceName, List.of(topic),
        keySerde == null ? null : keySerde.deserializer(),
        valueSerde == null ? null : valueSerde.deserializer(),
        extractor,
        reset == null ? NodeDef.OffsetReset.DEFAULT : NodeDef.OffsetReset.valueOf(reset.name())));
    builder.addProcessor(name(), supplier, sourceName);
    builder.addStateStore(store, name());
  }
}
