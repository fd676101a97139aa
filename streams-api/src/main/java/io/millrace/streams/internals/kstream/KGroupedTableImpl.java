package io.millrace.streams.internals.kstream;

import io.millrace.streams.internals.graph.GraphNode;
import io.millrace.streams.internals.graph.ProcessorGraphNode;
import io.millrace.streams.internals.graph.RepartitionNode;
import io.millrace.streams.kstream.Aggregator;
import io.millrace.streams.kstream.Grouped;
import io.millrace.streams.kstream.KGroupedTable;
import io.millrace.streams.kstream.KTable;
import io.millrace.streams.kstream.Materialized;
import io.millrace.streams.kstream.Named;
import java.util.Objects;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** A re-grouped table: always repartitioned (its changes carry old and new values). */
final class KGroupedTableImpl<K, V> implements KGroupedTable<K, V> {
  private final InternalStreamsBuilder builder;
  private final GraphNode select;
  private final String groupName;
  private final Serde<K> keySerde;
  private final Serde<V> valueSerde;

  KGroupedTableImpl(InternalStreamsBuilder builder, GraphNode select, Grouped<K, V> grouped) {
    this.builder = builder;
    this.select = select;
    this.groupName = grouped == null ? null : grouped.name();
    this.keySerde = grouped == null ? null : grouped.keySerde();
    this.valueSerde = grouped == null ? null : grouped.valueSerde();
  }

  private <VA> KTable<K, VA> doAggregate(String prefix, Named named, Materialized<K, VA, ?> m, Serde<VA> defaultSerde,
      Supplier<VA> initializer, Aggregator<? super K, ? super V, VA> adder, Aggregator<? super K, ? super V, VA> subtractor) {
    String storeName = StoreFactory.storeName(m, builder, prefix);
    RepartitionNode repartition = builder.add(select, new RepartitionNode(
        groupName != null ? groupName : storeName, keySerde, new ChangeSerde<>(valueSerde), -1, null, true));
    Serde<K> ks = m != null && m.keySerde() != null ? m.keySerde() : keySerde;
    Serde<VA> vs = m != null && m.valueSerde() != null ? m.valueSerde() : defaultSerde;
    ProcessorGraphNode n = builder.add(repartition, new ProcessorGraphNode(builder.name(named, prefix),
        KTableGroupByProcessors.aggregate(storeName, initializer, adder, subtractor))
        .addStore(StoreFactory.keyValue(storeName, m, ks, vs)));
    return new KTableImpl<>(builder, n, ks, vs, m == null ? null : m.storeName(),
        StoreGetters.keyValue(storeName), -1, null);
  }

  @Override
  public KTable<K, Long> count(Named named, Materialized<K, Long, ?> m) {
    return doAggregate("KTABLE-AGGREGATE-", named, m, Serdes.Long(), () -> 0L,
        (k, v, agg) -> agg + 1, (k, v, agg) -> agg - 1);
  }

  @Override
  public KTable<K, V> reduce(BinaryOperator<V> adder, BinaryOperator<V> subtractor, Materialized<K, V, ?> m) {
    Objects.requireNonNull(adder, "adder");
    Objects.requireNonNull(subtractor, "subtractor");
    return doAggregate("KTABLE-REDUCE-", null, m, valueSerde, () -> null,
        (k, v, agg) -> agg == null ? v : adder.apply(agg, v), (k, v, agg) -> subtractor.apply(agg, v));
  }

  @Override
  public <VA> KTable<K, VA> aggregate(Supplier<VA> initializer, Aggregator<? super K, ? super V, VA> adder,
      Aggregator<? super K, ? super V, VA> subtractor, Named named, Materialized<K, VA, ?> m) {
    Objects.requireNonNull(initializer, "initializer");
    Objects.requireNonNull(adder, "adder");
    Objects.requireNonNull(subtractor, "subtractor");
    return doAggregate("KTABLE-AGGREGATE-", named, m, null, initializer, adder, subtractor);
  }
}
