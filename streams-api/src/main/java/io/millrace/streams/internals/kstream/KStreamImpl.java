package io.millrace.streams.internals.kstream;

import io.millrace.streams.KeyValue;
import io.millrace.streams.internals.graph.GraphNode;
import io.millrace.streams.internals.graph.ProcessorGraphNode;
import io.millrace.streams.internals.graph.RepartitionNode;
import io.millrace.streams.internals.graph.SinkGraphNode;
import io.millrace.streams.kstream.BranchedKStream;
import io.millrace.streams.kstream.Grouped;
import io.millrace.streams.kstream.JoinWindows;
import io.millrace.streams.kstream.Joined;
import io.millrace.streams.kstream.KGroupedStream;
import io.millrace.streams.kstream.KStream;
import io.millrace.streams.kstream.KTable;
import io.millrace.streams.kstream.Materialized;
import io.millrace.streams.kstream.Named;
import io.millrace.streams.kstream.Produced;
import io.millrace.streams.kstream.Repartitioned;
import io.millrace.streams.kstream.StreamJoined;
import io.millrace.streams.processor.ProcessorSupplier;
import io.millrace.streams.processor.TopicNameExtractor;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import org.apache.kafka.common.serialization.Serde;

/** The DSL's stream: a position in the logical graph, with its serdes and partitioning state. */
@SuppressWarnings({"unchecked", "rawtypes"})
public final class KStreamImpl<K, V> implements KStream<K, V> {
  final InternalStreamsBuilder builder;
  final GraphNode node;
  final Serde<K> keySerde;
  final Serde<V> valueSerde;
  final boolean repartitionRequired;

  public KStreamImpl(InternalStreamsBuilder builder, GraphNode node, Serde<K> keySerde, Serde<V> valueSerde,
      boolean repartitionRequired) {
    this.builder = builder;
    this.node = node;
    this.keySerde = keySerde;
    this.valueSerde = valueSerde;
    this.repartitionRequired = repartitionRequired;
  }

  private <KR, VR> KStreamImpl<KR, VR> then(String name, ProcessorSupplier supplier, Serde<KR> ks, Serde<VR> vs,
      boolean keyChanging) {
    ProcessorGraphNode n = builder.add(node, new ProcessorGraphNode(name, supplier));
    n.setKeyChanging(keyChanging);
    return new KStreamImpl<>(builder, n, ks, vs, repartitionRequired || keyChanging);
  }

  @Override
  public KStream<K, V> filter(BiPredicate<? super K, ? super V> predicate, Named named) {
    Objects.requireNonNull(predicate, "predicate");
    return then(builder.name(named, "KSTREAM-FILTER-"), StatelessProcessors.filter(predicate, false),
        keySerde, valueSerde, false);
  }

  @Override
  public KStream<K, V> filterNot(BiPredicate<? super K, ? super V> predicate, Named named) {
    Objects.requireNonNull(predicate, "predicate");
    return then(builder.name(named, "KSTREAM-FILTER-"), StatelessProcessors.filter(predicate, true),
        keySerde, valueSerde, false);
  }

  @Override
  public <KR> KStream<KR, V> selectKey(BiFunction<? super K, ? super V, ? extends KR> mapper, Named named) {
    Objects.requireNonNull(mapper, "mapper");
    return then(builder.name(named, "KSTREAM-KEY-SELECT-"), StatelessProcessors.selectKey(mapper),
        null, valueSerde, true);
  }

  @Override
  public <KR, VR> KStream<KR, VR> map(
      BiFunction<? super K, ? super V, ? extends KeyValue<? extends KR, ? extends VR>> mapper, Named named) {
    Objects.requireNonNull(mapper, "mapper");
    return then(builder.name(named, "KSTREAM-MAP-"), StatelessProcessors.map(mapper), null, null, true);
  }

  @Override
  public <VR> KStream<K, VR> mapValues(BiFunction<? super K, ? super V, ? extends VR> mapper, Named named) {
    Objects.requireNonNull(mapper, "mapper");
    return then(builder.name(named, "KSTREAM-MAPVALUES-"), StatelessProcessors.mapValues(mapper),
        keySerde, null, false);
  }

  @Override
  public <KR, VR> KStream<KR, VR> flatMap(
      BiFunction<? super K, ? super V, ? extends Iterable<? extends KeyValue<? extends KR, ? extends VR>>> mapper,
      Named named) {
    Objects.requireNonNull(mapper, "mapper");
    return then(builder.name(named, "KSTREAM-FLATMAP-"), StatelessProcessors.flatMap(mapper), null, null, true);
  }

  @Override
  public <VR> KStream<K, VR> flatMapValues(
      BiFunction<? super K, ? super V, ? extends Iterable<? extends VR>> mapper, Named named) {
    Objects.requireNonNull(mapper, "mapper");
    return then(builder.name(named, "KSTREAM-FLATMAPVALUES-"), StatelessProcessors.flatMapValues(mapper),
        keySerde, null, false);
  }

  @Override
  public KStream<K, V> peek(BiConsumer<? super K, ? super V> action, Named named) {
    Objects.requireNonNull(action, "action");
    return then(builder.name(named, "KSTREAM-PEEK-"), StatelessProcessors.peek(action, true),
        keySerde, valueSerde, false);
  }

  @Override
  public void foreach(BiConsumer<? super K, ? super V> action, Named named) {
    Objects.requireNonNull(action, "action");
    then(builder.name(named, "KSTREAM-FOREACH-"), StatelessProcessors.peek(action, false), keySerde, valueSerde, false);
  }

  @Override
  public BranchedKStream<K, V> split(Named named) {
    return new BranchedKStreamImpl<>(this, builder.name(named, "KSTREAM-BRANCH-"));
  }

  /** Adds a child processor (branches, joins) and returns it as a stream. */
  <KR, VR> KStreamImpl<KR, VR> child(GraphNode n, Serde<KR> ks, Serde<VR> vs) {
    builder.add(node, n);
    return new KStreamImpl<>(builder, n, ks, vs, repartitionRequired);
  }

  @Override
  public KStream<K, V> merge(KStream<K, V> other, Named named) {
    KStreamImpl<K, V> o = (KStreamImpl<K, V>) Objects.requireNonNull(other, "other");
    ProcessorGraphNode m = builder.add(node, new ProcessorGraphNode(builder.name(named, "KSTREAM-MERGE-"),
        StatelessProcessors.passThrough()));
    o.node.addChild(m);
    boolean sameSerdes = Objects.equals(keySerde, o.keySerde) && Objects.equals(valueSerde, o.valueSerde);
    return new KStreamImpl<>(builder, m, sameSerdes ? keySerde : null, sameSerdes ? valueSerde : null,
        repartitionRequired || o.repartitionRequired);
  }

  @Override
  public KStream<K, V> repartition(Repartitioned<K, V> r) {
    String base = r != null && r.name() != null ? r.name() : builder.newProcessorName("KSTREAM-REPARTITION-");
    Serde<K> ks = r != null && r.keySerde() != null ? r.keySerde() : keySerde;
    Serde<V> vs = r != null && r.valueSerde() != null ? r.valueSerde() : valueSerde;
    int partitions = r != null && r.partitions() != null ? r.partitions() : -1;
    RepartitionNode n = builder.add(node, new RepartitionNode(base, ks, vs, partitions,
        r == null ? null : r.partitioner(), false));
    return new KStreamImpl<>(builder, n, ks, vs, false);
  }

  /** This stream, through a repartition topic if its key may have changed. */
  KStreamImpl<K, V> repartitionedIfRequired(String base, Serde<K> ks, Serde<V> vs) {
    if (!repartitionRequired) {
      return this;
    }
    Serde<K> k = ks != null ? ks : keySerde;
    Serde<V> v = vs != null ? vs : valueSerde;
    RepartitionNode n = builder.add(node, new RepartitionNode(base, k, v, -1, null, true));
    return new KStreamImpl<>(builder, n, k, v, false);
  }

  @Override
  public void to(String topic, Produced<K, V> produced) {
    Objects.requireNonNull(topic, "topic");
    sink(topic, null, produced);
  }

  @Override
  public void to(TopicNameExtractor<K, V> extractor, Produced<K, V> produced) {
    Objects.requireNonNull(extractor, "topic extractor");
    sink(null, extractor, produced);
  }

  private void sink(String topic, TopicNameExtractor<K, V> extractor, Produced<K, V> p) {
    String name = p != null && p.name() != null ? p.name() : builder.newProcessorName("KSTREAM-SINK-");
    Serde<K> ks = p != null && p.keySerde() != null ? p.keySerde() : keySerde;
    Serde<V> vs = p != null && p.valueSerde() != null ? p.valueSerde() : valueSerde;
    builder.add(node, new SinkGraphNode(name, topic, extractor, ks, vs, p == null ? null : p.partitioner()));
  }

  @Override
  public KTable<K, V> toTable(Named named, Materialized<K, V, ?> m) {
    String name = builder.name(named, "KSTREAM-TOTABLE-");
    String storeName = StoreFactory.storeName(m, builder, "KSTREAM-TOTABLE-");
    Serde<K> ks = m != null && m.keySerde() != null ? m.keySerde() : keySerde;
    Serde<V> vs = m != null && m.valueSerde() != null ? m.valueSerde() : valueSerde;
    KStreamImpl<K, V> input = repartitionedIfRequired(name, ks, vs);
    ProcessorGraphNode n = builder.add(input.node, new ProcessorGraphNode(name, new KTableSourceProcessor<>(storeName))
        .addStore(StoreFactory.keyValue(storeName, m, ks, vs)));
    return new KTableImpl<>(builder, n, ks, vs, m != null ? m.storeName() : null,
        StoreGetters.keyValue(storeName), -1, null);
  }

  @Override
  public KGroupedStream<K, V> groupByKey(Grouped<K, V> grouped) {
    return new KGroupedStreamImpl<>(this, grouped, repartitionRequired);
  }

  @Override
  public <KR> KGroupedStream<KR, V> groupBy(BiFunction<? super K, ? super V, KR> keySelector, Grouped<KR, V> grouped) {
    Objects.requireNonNull(keySelector, "keySelector");
    KStreamImpl<KR, V> rekeyed = then(builder.newProcessorName("KSTREAM-KEY-SELECT-"),
        StatelessProcessors.selectKey(keySelector), null, valueSerde, true);
    return new KGroupedStreamImpl<>(rekeyed, grouped, true);
  }

  @Override
  public <VO, VR> KStream<K, VR> join(KStream<K, VO> other, BiFunction<? super V, ? super VO, ? extends VR> joiner,
      JoinWindows windows, StreamJoined<K, V, VO> sj) {
    return new StreamStreamJoinBuilder<K, V, VO, VR>(this, (KStreamImpl<K, VO>) other, joiner, windows, sj).build(false, false);
  }

  @Override
  public <VO, VR> KStream<K, VR> leftJoin(KStream<K, VO> other, BiFunction<? super V, ? super VO, ? extends VR> joiner,
      JoinWindows windows, StreamJoined<K, V, VO> sj) {
    return new StreamStreamJoinBuilder<K, V, VO, VR>(this, (KStreamImpl<K, VO>) other, joiner, windows, sj).build(true, false);
  }

  @Override
  public <VO, VR> KStream<K, VR> outerJoin(KStream<K, VO> other, BiFunction<? super V, ? super VO, ? extends VR> joiner,
      JoinWindows windows, StreamJoined<K, V, VO> sj) {
    return new StreamStreamJoinBuilder<K, V, VO, VR>(this, (KStreamImpl<K, VO>) other, joiner, windows, sj).build(true, true);
  }

  @Override
  public <VT, VR> KStream<K, VR> join(KTable<K, VT> table, BiFunction<? super V, ? super VT, ? extends VR> joiner,
      Joined<K, V, VT> joined) {
    return tableJoin(table, joiner, joined, false);
  }

  @Override
  public <VT, VR> KStream<K, VR> leftJoin(KTable<K, VT> table, BiFunction<? super V, ? super VT, ? extends VR> joiner,
      Joined<K, V, VT> joined) {
    return tableJoin(table, joiner, joined, true);
  }

  private <VT, VR> KStream<K, VR> tableJoin(KTable<K, VT> table, BiFunction<? super V, ? super VT, ? extends VR> joiner,
      Joined<K, V, VT> joined, boolean left) {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(joiner, "joiner");
    KTableImpl<K, VT> t = (KTableImpl<K, VT>) table;
    String name = joined != null && joined.name() != null
        ? joined.name() : builder.newProcessorName(left ? "KSTREAM-LEFTJOIN-" : "KSTREAM-JOIN-");
    KStreamImpl<K, V> input = repartitionedIfRequired(joined != null && joined.name() != null ? joined.name() : node.name(),
        joined == null ? null : joined.keySerde(), joined == null ? null : joined.valueSerde());
    ProcessorGraphNode n = new ProcessorGraphNode(name, new KStreamKTableJoinProcessor<>(t.getter, joiner, left));
    n.connectStores(t.getter.storeNames()).copartitionWith(input.node, t.node);
    builder.add(input.node, n);
    return new KStreamImpl<>(builder, n, input.keySerde, null, false);
  }

  @Override
  public <KOut, VOut> KStream<KOut, VOut> process(ProcessorSupplier<? super K, ? super V, KOut, VOut> supplier,
      Named named, String... stateStoreNames) {
    Objects.requireNonNull(supplier, "supplier");
    ProcessorGraphNode n = new ProcessorGraphNode(builder.name(named, "KSTREAM-PROCESSOR-"), supplier);
    n.connectStores(List.of(stateStoreNames));
    n.setKeyChanging(true);
    builder.add(node, n);
    return new KStreamImpl<>(builder, n, null, null, true);
  }
}
