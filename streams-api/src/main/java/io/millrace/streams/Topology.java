package io.millrace.streams;

import io.millrace.streams.internals.topology.InternalTopologyBuilder;
import io.millrace.streams.internals.topology.NodeDef;
import io.millrace.streams.processor.ProcessorSupplier;
import io.millrace.streams.processor.StreamPartitioner;
import io.millrace.streams.processor.TimestampExtractor;
import io.millrace.streams.processor.TopicNameExtractor;
import io.millrace.streams.state.StoreBuilder;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A physical topology: sources, processors and sinks, with their state stores. Built by {@link
 * StreamsBuilder#build()} from the DSL, or node by node with the processor API:
 *
 * <pre>{@code
 * Topology t = new Topology()
 *     .addSource("in", new StringDeserializer(), new StringDeserializer(), "input")
 *     .addProcessor("dedup", DedupProcessor::new, "in")
 *     .addStateStore(Stores.keyValueStoreBuilder(
 *         Stores.persistentKeyValueStore("seen"), Serdes.String(), Serdes.Long()), "dedup")
 *     .addSink("out", "output", new StringSerializer(), new StringSerializer(), "dedup");
 * }</pre>
 *
 * <p>Every method checks its arguments at once and throws {@link
 * io.millrace.streams.errors.TopologyException} naming the problem. Not thread-safe while being
 * built; immutable in effect once handed to an application or test driver.
 */
public final class Topology {
  private final InternalTopologyBuilder builder;

  public Topology() {
    this(new InternalTopologyBuilder());
  }

  Topology(InternalTopologyBuilder builder) {
    this.builder = builder;
  }

  /** Where a source starts when the application has no committed offset for it. */
  public enum AutoOffsetReset {
    EARLIEST,
    LATEST
  }

  /** A source reading {@code topics} with the default serdes and timestamp extractor. */
  public Topology addSource(String name, String... topics) {
    return addSource(null, name, null, null, null, topics);
  }

  public Topology addSource(
      String name, Deserializer<?> keyDeserializer, Deserializer<?> valueDeserializer, String... topics) {
    return addSource(null, name, null, keyDeserializer, valueDeserializer, topics);
  }

  /**
   * @param offsetReset null for the application's {@code auto.offset.reset}
   * @param timestampExtractor null for the application's default
   */
  public Topology addSource(
      AutoOffsetReset offsetReset,
      String name,
      TimestampExtractor timestampExtractor,
      Deserializer<?> keyDeserializer,
      Deserializer<?> valueDeserializer,
      String... topics) {
    NodeDef.OffsetReset reset =
        offsetReset == null
            ? NodeDef.OffsetReset.DEFAULT
            : NodeDef.OffsetReset.valueOf(offsetReset.name());
    builder.addSource(
        new NodeDef.Source(
            name,
            topics == null ? List.of() : List.of(topics),
            keyDeserializer,
            valueDeserializer,
            timestampExtractor,
            reset));
    return this;
  }

  public <KIn, VIn, KOut, VOut> Topology addProcessor(
      String name, ProcessorSupplier<KIn, VIn, KOut, VOut> supplier, String... parentNames) {
    builder.addProcessor(name, supplier, parentNames);
    return this;
  }

  /** A sink writing to {@code topic} with the default serdes. */
  public Topology addSink(String name, String topic, String... parentNames) {
    return addSink(name, topic, null, null, null, parentNames);
  }

  public Topology addSink(
      String name,
      String topic,
      Serializer<?> keySerializer,
      Serializer<?> valueSerializer,
      String... parentNames) {
    return addSink(name, topic, keySerializer, valueSerializer, null, parentNames);
  }

  public Topology addSink(
      String name,
      String topic,
      Serializer<?> keySerializer,
      Serializer<?> valueSerializer,
      StreamPartitioner<?, ?> partitioner,
      String... parentNames) {
    builder.addSink(
        new NodeDef.Sink(
            name, topic, null, keySerializer, valueSerializer, partitioner, List.of(parentNames)));
    return this;
  }

  /** A sink choosing its topic per record (the topics must exist). */
  public Topology addSink(
      String name,
      TopicNameExtractor<?, ?> topicExtractor,
      Serializer<?> keySerializer,
      Serializer<?> valueSerializer,
      String... parentNames) {
    builder.addSink(
        new NodeDef.Sink(
            name, null, topicExtractor, keySerializer, valueSerializer, null, List.of(parentNames)));
    return this;
  }

  /** Adds a store and connects it to the named processors. */
  public Topology addStateStore(StoreBuilder<?> storeBuilder, String... processorNames) {
    builder.addStateStore(storeBuilder, processorNames);
    return this;
  }

  public Topology connectProcessorAndStateStores(String processorName, String... storeNames) {
    builder.connectProcessorAndStores(List.of(processorName), List.of(storeNames));
    return this;
  }

  public TopologyDescription describe() {
    return new TopologyDescription(builder);
  }

  /** The internals, for the runtime and the test driver. */
  public InternalTopologyBuilder internalBuilder() {
    return builder;
  }

  @Override
  public String toString() {
    return describe().toString();
  }
}
