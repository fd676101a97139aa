package io.millrace.streams.internals.kstream;

import io.millrace.streams.KeyValue;
import io.millrace.streams.errors.TopologyException;
import io.millrace.streams.internals.graph.GraphNode;
import io.millrace.streams.internals.graph.ProcessorGraphNode;
import io.millrace.streams.kstream.Grouped;
import io.millrace.streams.kstream.KGroupedTable;
import io.millrace.streams.kstream.KStream;
import io.millrace.streams.kstream.KTable;
import io.millrace.streams.kstream.Materialized;
import io.millrace.streams.kstream.Named;
import io.millrace.streams.kstream.Suppressed;
import io.millrace.streams.state.StoreBuilder;
import io.millrace.streams.state.Stores;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The DSL's table: a graph position whose records are changes, a getter for its current values,
 * and (for windowed tables) the grace period and inner key serde that suppression needs.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
public final class KTableImpl<K, V> implements KTable<K, V> {
  final InternalStreamsBuilder builder;
  final GraphNode node;
  final Serde<K> keySerde;
  final Serde<V> valueSerde;
  final String queryableStoreName;
  final KTableValueGetterSupplier<K, V> getter;
  final long windowGraceMs;
  final Serde<?> windowedInnerKeySerde;

  KTableImpl(InternalStreamsBuilder builder, GraphNode node, Serde<K> keySerde, Serde<V> valueSerde,
      String queryableStoreName, KTableValueGetterSupplier<K, V> getter, long windowGraceMs,
      Serde<?> windowedInnerKeySerde) {
    this.builder = builder;
    this.node = node;
    this.keySerde = keySerde;
    this.valueSerde = valueSerde;
    this.queryableStoreName = queryableStoreName;
    this.getter = getter;
    this.windowGraceMs = windowGraceMs;
    this.windowedInnerKeySerde = windowedInnerKeySerde;
  }

  private <VR> KTable<K, VR> mapping(String prefix, Named named, BiFunction<? super K, ? super V, ? extends VR> fn,
      Materialized<K, VR, ?> m, Serde<VR> resultSerde) {
    String name = builder.name(named, prefix);
    String storeName = m == null ? null : StoreFactory.storeName(m, builder, prefix);
    Serde<K> ks = m != null && m.keySerde() != null ? m.keySerde() : keySerde;
    Serde<VR> vs = m != null && m.valueSerde() != null ? m.valueSerde() : resultSerde;
    ProcessorGraphNode n = new ProcessorGraphNode(name, KTableOperators.mapping(fn, storeName));
    if (storeName != null) {
      n.addStore(StoreFactory.keyValue(storeName, m, ks, vs));
    }
    builder.add(node, n);
    KTableValueGetterSupplier<K, VR> g = storeName != null
        ? StoreGetters.keyValue(storeName) : KTableOperators.mappingGetter(getter, fn);
    return new KTableImpl<>(builder, n, ks, vs, m == null ? null : m.storeName(), g, windowGraceMs, windowedInnerKeySerde);
  }

  private BiFunction<K, V, V> filterFn(BiPredicate<? super K, ? super V> p, boolean not) {
    Objects.requireNonNull(p, "predicate");
    return (k, v) -> p.test(k, v) != not ? v : null;
  }

  @Override
  public KTable<K, V> filter(BiPredicate<? super K, ? super V> predicate, Named named, Materialized<K, V, ?> m) {
    return mapping("KTABLE-FILTER-", named, filterFn(predicate, false), m, valueSerde);
  }

  @Override
  public KTable<K, V> filterNot(BiPredicate<? super K, ? super V> predicate, Named named) {
    return mapping("KTABLE-FILTER-", named, filterFn(predicate, true), null, valueSerde);
  }

  @Override
  public <VR> KTable<K, VR> mapValues(BiFunction<? super K, ? super V, ? extends VR> mapper) {
    Objects.requireNonNull(mapper, "mapper");
    return mapping("KTABLE-MAPVALUES-", null, mapper, null, null);
  }

  @Override
  public <VR> KTable<K, VR> mapValues(Function<? super V, ? extends VR> mapper, Named named, Materialized<K, VR, ?> m) {
    Objects.requireNonNull(mapper, "mapper");
    return mapping("KTABLE-MAPVALUES-", named, (k, v) -> mapper.apply(v), m, null);
  }

  @Override
  public KStream<K, V> toStream(Named named) {
    ProcessorGraphNode n = builder.add(node,
        new ProcessorGraphNode(builder.name(named, "KTABLE-TOSTREAM-"), StatelessProcessors.tableToStream()));
    return new KStreamImpl<>(builder, n, keySerde, valueSerde, false);
  }

  @Override
  public <KR, VR> KGroupedTable<KR, VR> groupBy(BiFunction<? super K, ? super V, KeyValue<KR, VR>> selector,
      Grouped<KR, VR> grouped) {
    Objects.requireNonNull(selector, "selector");
    ProcessorGraphNode n = builder.add(node, new ProcessorGraphNode(
        builder.newProcessorName("KTABLE-SELECT-"), KTableGroupByProcessors.select(selector)));
    n.setKeyChanging(true);
    return new KGroupedTableImpl<>(builder, n, grouped);
  }

  @Override
  public <VO, VR> KTable<K, VR> join(KTable<K, VO> other, BiFunction<? super V, ? super VO, ? extends VR> joiner) {
    return tableJoin(other, joiner, null, null, KTableKTableJoin.Kind.INNER);
  }

  @Override
  public <VO, VR> KTable<K, VR> join(KTable<K, VO> other, BiFunction<? super V, ? super VO, ? extends VR> joiner,
      Materialized<K, VR, ?> m) {
    return tableJoin(other, joiner, null, m, KTableKTableJoin.Kind.INNER);
  }

  @Override
  public <VO, VR> KTable<K, VR> join(KTable<K, VO> other, BiFunction<? super V, ? super VO, ? extends VR> joiner,
      Named named, Materialized<K, VR, ?> m) {
    return tableJoin(other, joiner, named, m, KTableKTableJoin.Kind.INNER);
  }

  @Override
  public <VO, VR> KTable<K, VR> leftJoin(KTable<K, VO> other, BiFunction<? super V, ? super VO, ? extends VR> joiner) {
    return tableJoin(other, joiner, null, null, KTableKTableJoin.Kind.LEFT);
  }

  @Override
  public <VO, VR> KTable<K, VR> leftJoin(KTable<K, VO> other, BiFunction<? super V, ? super VO, ? extends VR> joiner,
      Materialized<K, VR, ?> m) {
    return tableJoin(other, joiner, null, m, KTableKTableJoin.Kind.LEFT);
  }

  @Override
  public <VO, VR> KTable<K, VR> outerJoin(KTable<K, VO> other, BiFunction<? super V, ? super VO, ? extends VR> joiner) {
    return tableJoin(other, joiner, null, null, KTableKTableJoin.Kind.OUTER);
  }

  @Override
  public <VO, VR> KTable<K, VR> outerJoin(KTable<K, VO> other, BiFunction<? super V, ? super VO, ? extends VR> joiner,
      Materialized<K, VR, ?> m) {
    return tableJoin(other, joiner, null, m, KTableKTableJoin.Kind.OUTER);
  }

  private <VO, VR> KTable<K, VR> tableJoin(KTable<K, VO> other, BiFunction<? super V, ? super VO, ? extends VR> joiner,
      Named named, Materialized<K, VR, ?> m, KTableKTableJoin.Kind kind) {
    Objects.requireNonNull(other, "other");
    Objects.requireNonNull(joiner, "joiner");
    KTableImpl<K, VO> o = (KTableImpl<K, VO>) other;
    KTableKTableJoin<K, V, VO, VR> join = new KTableKTableJoin<>(getter, o.getter, joiner, kind);
    String base = named != null ? named.name() : null;
    String thisName = base != null ? base + "-join-this" : builder.newProcessorName("KTABLE-JOINTHIS-");
    String otherName = base != null ? base + "-join-other" : builder.newProcessorName("KTABLE-JOINOTHER-");
    String mergeName = base != null ? base : builder.newProcessorName("KTABLE-MERGE-");
    String storeName = m == null ? null : StoreFactory.storeName(m, builder, "KTABLE-MERGE-");
    ProcessorGraphNode thisNode = new ProcessorGraphNode(thisName, join.leftSide());
    thisNode.connectStores(o.getter.storeNames()).copartitionWith(node, o.node);
    ProcessorGraphNode otherNode = new ProcessorGraphNode(otherName, join.rightSide());
    otherNode.connectStores(getter.storeNames());
    builder.add(node, thisNode);
    builder.add(o.node, otherNode);
    Serde<K> ks = m != null && m.keySerde() != null ? m.keySerde() : keySerde;
    Serde<VR> vs = m != null ? m.valueSerde() : null;
    ProcessorGraphNode merge = new ProcessorGraphNode(mergeName, KTableKTableJoin.merger(storeName));
    if (storeName != null) {
      merge.addStore(StoreFactory.keyValue(storeName, m, ks, vs));
    }
    builder.add(thisNode, merge);
    otherNode.addChild(merge);
    KTableValueGetterSupplier<K, VR> g = storeName != null ? StoreGetters.keyValue(storeName) : join.getter();
    return new KTableImpl<>(builder, merge, ks, vs, m == null ? null : m.storeName(), g, -1, null);
  }

  @Override
  public KTable<K, V> suppress(Suppressed<? super K> suppressed) {
    Objects.requireNonNull(suppressed, "suppressed");
    if (windowGraceMs < 0) {
      throw new TopologyException("suppress(Suppressed.untilWindowCloses(...)) needs a windowed table, made by"
          + " windowedBy(...).count()/reduce()/aggregate(); this table is not windowed");
    }
    String name = suppressed.name() != null ? suppressed.name() : builder.newProcessorName("KTABLE-SUPPRESS-");
    String storeName = name + "-store";
    StoreBuilder<?> buffer = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(storeName),
        Serdes.Bytes(), Serdes.ByteArray());
    ProcessorGraphNode n = new ProcessorGraphNode(name, new KTableSuppressProcessor<>(storeName, windowGraceMs,
        suppressed.buffer().maxRecords(), (Serde) windowedInnerKeySerde, valueSerde));
    n.addStore(buffer);
    builder.add(node, n);
    return new KTableImpl<>(builder, n, keySerde, valueSerde, null, getter, windowGraceMs, windowedInnerKeySerde);
  }

  @Override
  public String queryableStoreName() {
    return queryableStoreName;
  }
}
