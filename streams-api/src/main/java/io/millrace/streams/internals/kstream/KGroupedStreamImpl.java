package io.millrace.streams.internals.kstream;

import io.millrace.streams.internals.graph.GraphNode;
import io.millrace.streams.internals.graph.ProcessorGraphNode;
import io.millrace.streams.internals.graph.RepartitionNode;
import io.millrace.streams.kstream.Aggregator;
import io.millrace.streams.kstream.Grouped;
import io.millrace.streams.kstream.KGroupedStream;
import io.millrace.streams.kstream.KTable;
import io.millrace.streams.kstream.Materialized;
import io.millrace.streams.kstream.Named;
import io.millrace.streams.kstream.SessionWindowedKStream;
import io.millrace.streams.kstream.SessionWindows;
import io.millrace.streams.kstream.SlidingWindows;
import io.millrace.streams.kstream.TimeWindowedKStream;
import io.millrace.streams.kstream.TimeWindows;
import io.millrace.streams.processor.ProcessorSupplier;
import io.millrace.streams.state.StoreBuilder;
import java.util.Objects;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A grouped stream. The repartition (if the key changed) is only added when an aggregation is
 * chosen, because its topic is named after the aggregation's store unless the grouping is named.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
final class KGroupedStreamImpl<K, V> implements KGroupedStream<K, V> {
  final KStreamImpl<K, V> stream;
  final InternalStreamsBuilder builder;
  final String groupName;
  final Serde<K> keySerde;
  final Serde<V> valueSerde;
  final boolean repartitionRequired;

  KGroupedStreamImpl(KStreamImpl<K, V> stream, Grouped<K, V> grouped, boolean repartitionRequired) {
    this.stream = stream;
    this.builder = stream.builder;
    this.groupName = grouped == null ? null : grouped.name();
    this.keySerde = grouped != null && grouped.keySerde() != null ? grouped.keySerde() : stream.keySerde;
    this.valueSerde = grouped != null && grouped.valueSerde() != null ? grouped.valueSerde() : stream.valueSerde;
    this.repartitionRequired = repartitionRequired;
  }

  /** The node aggregations attach to: the stream, or a repartition of it. */
  GraphNode input(String storeName) {
    if (!repartitionRequired) {
      return stream.node;
    }
    String base = groupName != null ? groupName : storeName;
    return builder.add(stream.node, new RepartitionNode(base, keySerde, valueSerde, -1, null, true));
  }

  <VA> KTable<K, VA> aggregateWith(String prefix, Named named, Materialized<K, VA, ?> m, Serde<VA> defaultValueSerde,
      java.util.function.Function<String, ProcessorSupplier> processor) {
    String storeName = StoreFactory.storeName(m, builder, prefix);
    GraphNode input = input(storeName);
    String name = builder.name(named, prefix);
    Serde<K> ks = m != null && m.keySerde() != null ? m.keySerde() : keySerde;
    Serde<VA> vs = m != null && m.valueSerde() != null ? m.valueSerde() : defaultValueSerde;
    StoreBuilder<?> store = StoreFactory.keyValue(storeName, m, ks, vs);
    ProcessorGraphNode n = builder.add(input, new ProcessorGraphNode(name, processor.apply(storeName)).addStore(store));
    return new KTableImpl<>(builder, n, ks, vs, m == null ? null : m.storeName(),
        StoreGetters.keyValue(storeName), -1, null);
  }

  @Override
  public KTable<K, Long> count(Named named, Materialized<K, Long, ?> m) {
    return aggregateWith("KSTREAM-AGGREGATE-", named, m, Serdes.Long(),
        store -> new KStreamAggregateProcessor<K, V, Long>(store, () -> 0L, (k, v, agg) -> agg + 1));
  }

  @Override
  public KTable<K, V> reduce(BinaryOperator<V> reducer, Named named, Materialized<K, V, ?> m) {
    Objects.requireNonNull(reducer, "reducer");
    return aggregateWith("KSTREAM-REDUCE-", named, m, valueSerde,
        store -> new KStreamAggregateProcessor<K, V, V>(store, () -> null, reduceAggregator(reducer)));
  }

  static <K, V> Aggregator<K, V, V> reduceAggregator(BinaryOperator<V> reducer) {
    return (k, v, agg) -> agg == null ? v : reducer.apply(agg, v);
  }

  @Override
  public <VA> KTable<K, VA> aggregate(Supplier<VA> initializer, Aggregator<? super K, ? super V, VA> aggregator,
      Named named, Materialized<K, VA, ?> m) {
    Objects.requireNonNull(initializer, "initializer");
    Objects.requireNonNull(aggregator, "aggregator");
    return aggregateWith("KSTREAM-AGGREGATE-", named, m, null,
        store -> new KStreamAggregateProcessor<>(store, initializer, aggregator));
  }

  @Override
  public TimeWindowedKStream<K, V> windowedBy(TimeWindows windows) {
    return new TimeWindowedKStreamImpl<>(this, Objects.requireNonNull(windows, "windows"), null);
  }

  @Override
  public TimeWindowedKStream<K, V> windowedBy(SlidingWindows windows) {
    return new TimeWindowedKStreamImpl<>(this, null, Objects.requireNonNull(windows, "windows"));
  }

  @Override
  public SessionWindowedKStream<K, V> windowedBy(SessionWindows windows) {
    return new SessionWindowedKStreamImpl<>(this, Objects.requireNonNull(windows, "windows"));
  }
}
