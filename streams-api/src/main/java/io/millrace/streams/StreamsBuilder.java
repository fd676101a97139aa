package io.millrace.streams;

import io.millrace.streams.internals.graph.StreamSourceNode;
import io.millrace.streams.internals.kstream.DslSources;
import io.millrace.streams.internals.kstream.InternalStreamsBuilder;
import io.millrace.streams.internals.topology.InternalTopologyBuilder;
import io.millrace.streams.kstream.Consumed;
import io.millrace.streams.kstream.KStream;
import io.millrace.streams.kstream.KTable;
import io.millrace.streams.kstream.Materialized;
import io.millrace.streams.state.StoreBuilder;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Describes a topology with the DSL: streams and tables read from topics, then transformed,
 * aggregated, joined and written back. {@link #build()} compiles the description into a {@link
 * Topology} of sub-topologies split at repartition topics.
 *
 * <pre>{@code
 * StreamsBuilder builder = new StreamsBuilder();
 * builder.<String, String>stream("streams-plaintext-input")
 *     .flatMapValues(line -> Arrays.asList(line.toLowerCase(Locale.ROOT).split("\\W+")))
 *     .groupBy((key, word) -> word)
 *     .count(Materialized.as("counts-store"))
 *     .toStream()
 *     .to("streams-wordcount-output", Produced.with(Serdes.String(), Serdes.Long()));
 * Topology topology = builder.build();
 * }</pre>
 *
 * <p>Not thread-safe; use one builder per topology, from one thread.
 */
public final class StreamsBuilder {
  private final InternalStreamsBuilder internal = new InternalStreamsBuilder();
  private boolean built;

  /** A stream of the records of {@code topic}, with the default serdes. */
  public <K, V> KStream<K, V> stream(String topic) {
    return stream(List.of(topic), null);
  }

  public <K, V> KStream<K, V> stream(String topic, Consumed<K, V> consumed) {
    return stream(List.of(topic), consumed);
  }

  /** One stream of the records of several topics. */
  public <K, V> KStream<K, V> stream(Collection<String> topics) {
    return stream(topics, null);
  }

  public <K, V> KStream<K, V> stream(Collection<String> topics, Consumed<K, V> consumed) {
    Objects.requireNonNull(topics, "topics");
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("A stream needs at least one topic");
    }
    ensureNotBuilt();
    String name = consumed != null && consumed.name() != null
        ? consumed.name() : internal.newProcessorName("KSTREAM-SOURCE-");
    StreamSourceNode node = new StreamSourceNode(name, List.copyOf(topics),
        consumed == null ? null : consumed.keySerde(),
        consumed == null ? null : consumed.valueSerde(),
        consumed == null ? null : consumed.timestampExtractor(),
        consumed == null ? null : consumed.offsetReset());
    return DslSources.stream(internal, node, consumed);
  }

  /** A table of the latest value per key in {@code topic} (a null value deletes the key). */
  public <K, V> KTable<K, V> table(String topic) {
    return table(topic, null, null);
  }

  public <K, V> KTable<K, V> table(String topic, Consumed<K, V> consumed) {
    return table(topic, consumed, null);
  }

  public <K, V> KTable<K, V> table(String topic, Materialized<K, V, ?> materialized) {
    return table(topic, null, materialized);
  }

  /**
   * A table of {@code topic}, materialized in a store (named by {@code materialized}, or {@code
   * <topic>-STATE-STORE-<n>}) with its own changelog.
   */
  public <K, V> KTable<K, V> table(String topic, Consumed<K, V> consumed, Materialized<K, V, ?> materialized) {
    Objects.requireNonNull(topic, "topic");
    ensureNotBuilt();
    return DslSources.table(internal, topic, consumed, materialized);
  }

  /** Adds a store for custom processors ({@link KStream#process}) to name. */
  public StreamsBuilder addStateStore(StoreBuilder<?> store) {
    Objects.requireNonNull(store, "store");
    ensureNotBuilt();
    internal.addStateStore(store);
    return this;
  }

  /** Compiles the topology, merging repartition topics where possible. */
  public Topology build() {
    return build(new Properties());
  }

  /**
   * Compiles the topology; {@code topology.optimization=none} in {@code props} turns the
   * merging of repartition topics off.
   */
  public synchronized Topology build(Properties props) {
    ensureNotBuilt();
    built = true;
    Object opt = props.getOrDefault(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.OPTIMIZE);
    boolean optimize = !StreamsConfig.NO_OPTIMIZATION.equals(String.valueOf(opt).trim());
    InternalTopologyBuilder topology = new InternalTopologyBuilder();
    internal.buildInto(topology, optimize);
    topology.subtopologies();
    return new Topology(topology);
  }

  /** Same as {@link #build(Properties)} from a map. */
  public Topology build(Map<String, ?> props) {
    Properties p = new Properties();
    p.putAll(props);
    return build(p);
  }

  private void ensureNotBuilt() {
    if (built) {
      throw new IllegalStateException("This builder has already built its topology; use a new one");
    }
  }
}
