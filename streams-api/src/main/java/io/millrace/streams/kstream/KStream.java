package io.millrace.streams.kstream;

import io.millrace.streams.KeyValue;
import io.millrace.streams.processor.ProcessorSupplier;
import io.millrace.streams.processor.TopicNameExtractor;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * A stream of records: every record is an event on its own (unlike a {@link KTable}, where a
 * record updates the value of its key). Operations return new streams and build the topology;
 * nothing runs until the topology runs.
 *
 * <p>Operations that may change the key ({@code selectKey}, {@code map}, {@code flatMap},
 * {@code process}) mark the stream for repartitioning: a later {@code groupByKey} or join first
 * writes it through a repartition topic {@code <application.id>-<name>-repartition} so that
 * equal keys meet in the same task. {@code mapValues} and friends keep the partitioning.
 *
 * <p>Functions passed here run on stream threads, one task at a time; they must not block for
 * long and should not keep mutable state outside stores.
 */
public interface KStream<K, V> {

  /** Keeps the records the predicate accepts. */
  KStream<K, V> filter(BiPredicate<? super K, ? super V> predicate);

  KStream<K, V> filter(BiPredicate<? super K, ? super V> predicate, Named named);

  /** Drops the records the predicate accepts. */
  KStream<K, V> filterNot(BiPredicate<? super K, ? super V> predicate);

  KStream<K, V> filterNot(BiPredicate<? super K, ? super V> predicate, Named named);

  /** A new key for each record (marks the stream for repartitioning). */
  <KR> KStream<KR, V> selectKey(BiFunction<? super K, ? super V, ? extends KR> mapper);

  <KR> KStream<KR, V> selectKey(BiFunction<? super K, ? super V, ? extends KR> mapper, Named named);

  /** A new key and value for each record (marks the stream for repartitioning). */
  <KR, VR> KStream<KR, VR> map(
      BiFunction<? super K, ? super V, ? extends KeyValue<? extends KR, ? extends VR>> mapper);

  <KR, VR> KStream<KR, VR> map(
      BiFunction<? super K, ? super V, ? extends KeyValue<? extends KR, ? extends VR>> mapper,
      Named named);

  /** A new value for each record; keys and partitioning stay. */
  <VR> KStream<K, VR> mapValues(Function<? super V, ? extends VR> mapper);

  <VR> KStream<K, VR> mapValues(Function<? super V, ? extends VR> mapper, Named named);

  /** A new value for each record, computed from key and value. */
  <VR> KStream<K, VR> mapValues(BiFunction<? super K, ? super V, ? extends VR> mapper);

  <VR> KStream<K, VR> mapValues(BiFunction<? super K, ? super V, ? extends VR> mapper, Named named);

  /** Zero or more records for each record (marks the stream for repartitioning). */
  <KR, VR> KStream<KR, VR> flatMap(
      BiFunction<? super K, ? super V, ? extends Iterable<? extends KeyValue<? extends KR, ? extends VR>>> mapper);

  <KR, VR> KStream<KR, VR> flatMap(
      BiFunction<? super K, ? super V, ? extends Iterable<? extends KeyValue<? extends KR, ? extends VR>>> mapper,
      Named named);

  /** Zero or more values for each record, each with the record's key. */
  <VR> KStream<K, VR> flatMapValues(Function<? super V, ? extends Iterable<? extends VR>> mapper);

  <VR> KStream<K, VR> flatMapValues(Function<? super V, ? extends Iterable<? extends VR>> mapper, Named named);

  <VR> KStream<K, VR> flatMapValues(
      BiFunction<? super K, ? super V, ? extends Iterable<? extends VR>> mapper);

  <VR> KStream<K, VR> flatMapValues(
      BiFunction<? super K, ? super V, ? extends Iterable<? extends VR>> mapper, Named named);

  /** Calls {@code action} for each record and passes the record on unchanged. */
  KStream<K, V> peek(BiConsumer<? super K, ? super V> action);

  KStream<K, V> peek(BiConsumer<? super K, ? super V> action, Named named);

  /** Calls {@code action} for each record; the end of the stream. */
  void foreach(BiConsumer<? super K, ? super V> action);

  void foreach(BiConsumer<? super K, ? super V> action, Named named);

  /** Splits the stream into branches by predicates; each record goes to the first that matches. */
  BranchedKStream<K, V> split();

  /** As {@link #split()}; the name prefixes the branch names in the result map. */
  BranchedKStream<K, V> split(Named named);

  /** One stream of both streams' records (no order between them beyond each one's own). */
  KStream<K, V> merge(KStream<K, V> other);

  KStream<K, V> merge(KStream<K, V> other, Named named);

  /** Writes through a repartition topic now, partitioned by the current key. */
  KStream<K, V> repartition();

  KStream<K, V> repartition(Repartitioned<K, V> repartitioned);

  /** Writes every record to {@code topic} (which must exist) with the default serdes. */
  void to(String topic);

  void to(String topic, Produced<K, V> produced);

  /** Writes each record to the topic the extractor chooses (the topics must exist). */
  void to(TopicNameExtractor<K, V> topicExtractor);

  void to(TopicNameExtractor<K, V> topicExtractor, Produced<K, V> produced);

  /** The stream as a table: each record updates its key, a null value deletes it. */
  KTable<K, V> toTable();

  KTable<K, V> toTable(Named named);

  KTable<K, V> toTable(Materialized<K, V, ?> materialized);

  KTable<K, V> toTable(Named named, Materialized<K, V, ?> materialized);

  /** Groups by the current key (repartitioning first if the key was changed). */
  KGroupedStream<K, V> groupByKey();

  KGroupedStream<K, V> groupByKey(Grouped<K, V> grouped);

  /** Groups by a new key; always repartitions. */
  <KR> KGroupedStream<KR, V> groupBy(BiFunction<? super K, ? super V, KR> keySelector);

  <KR> KGroupedStream<KR, V> groupBy(BiFunction<? super K, ? super V, KR> keySelector, Grouped<KR, V> grouped);

  /** Joins records of both streams with the same key that are close enough in time. */
  <VO, VR> KStream<K, VR> join(
      KStream<K, VO> other, BiFunction<? super V, ? super VO, ? extends VR> joiner, JoinWindows windows);

  <VO, VR> KStream<K, VR> join(
      KStream<K, VO> other,
      BiFunction<? super V, ? super VO, ? extends VR> joiner,
      JoinWindows windows,
      StreamJoined<K, V, VO> streamJoined);

  /** As {@link #join(KStream, BiFunction, JoinWindows)}; left records without a partner are emitted with null once their window closes. */
  <VO, VR> KStream<K, VR> leftJoin(
      KStream<K, VO> other, BiFunction<? super V, ? super VO, ? extends VR> joiner, JoinWindows windows);

  <VO, VR> KStream<K, VR> leftJoin(
      KStream<K, VO> other,
      BiFunction<? super V, ? super VO, ? extends VR> joiner,
      JoinWindows windows,
      StreamJoined<K, V, VO> streamJoined);

  /** As {@link #leftJoin(KStream, BiFunction, JoinWindows)}, for records of either side. */
  <VO, VR> KStream<K, VR> outerJoin(
      KStream<K, VO> other, BiFunction<? super V, ? super VO, ? extends VR> joiner, JoinWindows windows);

  <VO, VR> KStream<K, VR> outerJoin(
      KStream<K, VO> other,
      BiFunction<? super V, ? super VO, ? extends VR> joiner,
      JoinWindows windows,
      StreamJoined<K, V, VO> streamJoined);

  /** Enriches each record with the table's current value for its key; records without one are dropped. */
  <VT, VR> KStream<K, VR> join(KTable<K, VT> table, BiFunction<? super V, ? super VT, ? extends VR> joiner);

  <VT, VR> KStream<K, VR> join(
      KTable<K, VT> table, BiFunction<? super V, ? super VT, ? extends VR> joiner, Joined<K, V, VT> joined);

  /** As {@link #join(KTable, BiFunction)}, with null for records the table has no value for. */
  <VT, VR> KStream<K, VR> leftJoin(KTable<K, VT> table, BiFunction<? super V, ? super VT, ? extends VR> joiner);

  <VT, VR> KStream<K, VR> leftJoin(
      KTable<K, VT> table, BiFunction<? super V, ? super VT, ? extends VR> joiner, Joined<K, V, VT> joined);

  /**
   * Runs a custom processor on each record, with access to the named stores (added with {@link
   * io.millrace.streams.StreamsBuilder#addStateStore}) or those its supplier declares. Marks the
   * stream for repartitioning (the processor may change keys).
   */
  <KOut, VOut> KStream<KOut, VOut> process(
      ProcessorSupplier<? super K, ? super V, KOut, VOut> supplier, String... stateStoreNames);

  <KOut, VOut> KStream<KOut, VOut> process(
      ProcessorSupplier<? super K, ? super V, KOut, VOut> supplier, Named named, String... stateStoreNames);
}
