package io.millrace.streams.kstream;

import io.millrace.streams.KeyValue;
import io.millrace.streams.processor.ProcessorSupplier;
import io.millrace.streams.processor.TopicNameExtractor;
import java.util.Objects;
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
 * long and should not keep mutable state outside stores. An exception they throw stops the task
 * with a {@link io.millrace.streams.errors.StreamsException} naming the task, processor and
 * record, and goes to the application's uncaught-exception handler.
 *
 * <p>Building is single-threaded (one builder, one thread) and misuse fails at once: a null
 * function, topic or stream throws {@link NullPointerException} here, not when the topology
 * runs. Each operation has a short form and one taking a {@link Named} or an options object; the
 * short form passes null, meaning generated names and the serdes known so far.
 */
public interface KStream<K, V> {

  /** Keeps the records the predicate accepts. */
  default KStream<K, V> filter(BiPredicate<? super K, ? super V> predicate) {
    return filter(predicate, null);
  }

  KStream<K, V> filter(BiPredicate<? super K, ? super V> predicate, Named named);

  /** Drops the records the predicate accepts. */
  default KStream<K, V> filterNot(BiPredicate<? super K, ? super V> predicate) {
    return filterNot(predicate, null);
  }

  KStream<K, V> filterNot(BiPredicate<? super K, ? super V> predicate, Named named);

  /** A new key for each record (marks the stream for repartitioning). */
  default <KR> KStream<KR, V> selectKey(BiFunction<? super K, ? super V, ? extends KR> mapper) {
    return selectKey(mapper, null);
  }

  <KR> KStream<KR, V> selectKey(BiFunction<? super K, ? super V, ? extends KR> mapper, Named named);

  /** A new key and value for each record (marks the stream for repartitioning). */
  default <KR, VR> KStream<KR, VR> map(
      BiFunction<? super K, ? super V, ? extends KeyValue<? extends KR, ? extends VR>> mapper) {
    return map(mapper, null);
  }

  <KR, VR> KStream<KR, VR> map(
      BiFunction<? super K, ? super V, ? extends KeyValue<? extends KR, ? extends VR>> mapper,
      Named named);

  /** A new value for each record; keys and partitioning stay. */
  default <VR> KStream<K, VR> mapValues(Function<? super V, ? extends VR> mapper) {
    return mapValues(mapper, (Named) null);
  }

  default <VR> KStream<K, VR> mapValues(Function<? super V, ? extends VR> mapper, Named named) {
    Objects.requireNonNull(mapper, "mapper");
    return mapValues((k, v) -> mapper.apply(v), named);
  }

  /** A new value for each record, computed from key and value. */
  default <VR> KStream<K, VR> mapValues(BiFunction<? super K, ? super V, ? extends VR> mapper) {
    return mapValues(mapper, (Named) null);
  }

  <VR> KStream<K, VR> mapValues(BiFunction<? super K, ? super V, ? extends VR> mapper, Named named);

  /** Zero or more records for each record (marks the stream for repartitioning). */
  default <KR, VR> KStream<KR, VR> flatMap(
      BiFunction<? super K, ? super V, ? extends Iterable<? extends KeyValue<? extends KR, ? extends VR>>> mapper) {
    return flatMap(mapper, null);
  }

  <KR, VR> KStream<KR, VR> flatMap(
      BiFunction<? super K, ? super V, ? extends Iterable<? extends KeyValue<? extends KR, ? extends VR>>> mapper,
      Named named);

  /** Zero or more values for each record, each with the record's key. */
  default <VR> KStream<K, VR> flatMapValues(Function<? super V, ? extends Iterable<? extends VR>> mapper) {
    return flatMapValues(mapper, (Named) null);
  }

  default <VR> KStream<K, VR> flatMapValues(Function<? super V, ? extends Iterable<? extends VR>> mapper, Named named) {
    Objects.requireNonNull(mapper, "mapper");
    return flatMapValues((k, v) -> mapper.apply(v), named);
  }

  default <VR> KStream<K, VR> flatMapValues(
      BiFunction<? super K, ? super V, ? extends Iterable<? extends VR>> mapper) {
    return flatMapValues(mapper, (Named) null);
  }

  <VR> KStream<K, VR> flatMapValues(
      BiFunction<? super K, ? super V, ? extends Iterable<? extends VR>> mapper, Named named);

  /** Calls {@code action} for each record and passes the record on unchanged. */
  default KStream<K, V> peek(BiConsumer<? super K, ? super V> action) {
    return peek(action, null);
  }

  KStream<K, V> peek(BiConsumer<? super K, ? super V> action, Named named);

  /** Calls {@code action} for each record; the end of the stream. */
  default void foreach(BiConsumer<? super K, ? super V> action) {
    foreach(action, null);
  }

  void foreach(BiConsumer<? super K, ? super V> action, Named named);

  /** Splits the stream into branches by predicates; each record goes to the first that matches. */
  default BranchedKStream<K, V> split() {
    return split(null);
  }

  /** As {@link #split()}; the name prefixes the branch names in the result map. */
  BranchedKStream<K, V> split(Named named);

  /** One stream of both streams' records (no order between them beyond each one's own). */
  default KStream<K, V> merge(KStream<K, V> other) {
    return merge(other, null);
  }

  KStream<K, V> merge(KStream<K, V> other, Named named);

  /** Writes through a repartition topic now, partitioned by the current key. */
  default KStream<K, V> repartition() {
    return repartition(null);
  }

  KStream<K, V> repartition(Repartitioned<K, V> repartitioned);

  /** Writes every record to {@code topic} (which must exist) with the default serdes. */
  default void to(String topic) {
    to(topic, null);
  }

  void to(String topic, Produced<K, V> produced);

  /** Writes each record to the topic the extractor chooses (the topics must exist). */
  default void to(TopicNameExtractor<K, V> topicExtractor) {
    to(topicExtractor, null);
  }

  void to(TopicNameExtractor<K, V> topicExtractor, Produced<K, V> produced);

  /** The stream as a table: each record updates its key, a null value deletes it. */
  default KTable<K, V> toTable() {
    return toTable(null, null);
  }

  default KTable<K, V> toTable(Named named) {
    return toTable(named, null);
  }

  default KTable<K, V> toTable(Materialized<K, V, ?> materialized) {
    return toTable(null, materialized);
  }

  KTable<K, V> toTable(Named named, Materialized<K, V, ?> materialized);

  /** Groups by the current key (repartitioning first if the key was changed). */
  default KGroupedStream<K, V> groupByKey() {
    return groupByKey(null);
  }

  KGroupedStream<K, V> groupByKey(Grouped<K, V> grouped);

  /** Groups by a new key; always repartitions. */
  default <KR> KGroupedStream<KR, V> groupBy(BiFunction<? super K, ? super V, KR> keySelector) {
    return groupBy(keySelector, null);
  }

  <KR> KGroupedStream<KR, V> groupBy(BiFunction<? super K, ? super V, KR> keySelector, Grouped<KR, V> grouped);

  /** Joins records of both streams with the same key that are close enough in time. */
  default <VO, VR> KStream<K, VR> join(
      KStream<K, VO> other, BiFunction<? super V, ? super VO, ? extends VR> joiner, JoinWindows windows) {
    return join(other, joiner, windows, null);
  }

  <VO, VR> KStream<K, VR> join(
      KStream<K, VO> other,
      BiFunction<? super V, ? super VO, ? extends VR> joiner,
      JoinWindows windows,
      StreamJoined<K, V, VO> streamJoined);

  /** As {@link #join(KStream, BiFunction, JoinWindows)}; left records without a partner are emitted with null once their window closes. */
  default <VO, VR> KStream<K, VR> leftJoin(
      KStream<K, VO> other, BiFunction<? super V, ? super VO, ? extends VR> joiner, JoinWindows windows) {
    return leftJoin(other, joiner, windows, null);
  }

  <VO, VR> KStream<K, VR> leftJoin(
      KStream<K, VO> other,
      BiFunction<? super V, ? super VO, ? extends VR> joiner,
      JoinWindows windows,
      StreamJoined<K, V, VO> streamJoined);

  /** As {@link #leftJoin(KStream, BiFunction, JoinWindows)}, for records of either side. */
  default <VO, VR> KStream<K, VR> outerJoin(
      KStream<K, VO> other, BiFunction<? super V, ? super VO, ? extends VR> joiner, JoinWindows windows) {
    return outerJoin(other, joiner, windows, null);
  }

  <VO, VR> KStream<K, VR> outerJoin(
      KStream<K, VO> other,
      BiFunction<? super V, ? super VO, ? extends VR> joiner,
      JoinWindows windows,
      StreamJoined<K, V, VO> streamJoined);

  /** Enriches each record with the table's current value for its key; records without one are dropped. */
  default <VT, VR> KStream<K, VR> join(KTable<K, VT> table, BiFunction<? super V, ? super VT, ? extends VR> joiner) {
    return join(table, joiner, null);
  }

  <VT, VR> KStream<K, VR> join(
      KTable<K, VT> table, BiFunction<? super V, ? super VT, ? extends VR> joiner, Joined<K, V, VT> joined);

  /** As {@link #join(KTable, BiFunction)}, with null for records the table has no value for. */
  default <VT, VR> KStream<K, VR> leftJoin(KTable<K, VT> table, BiFunction<? super V, ? super VT, ? extends VR> joiner) {
    return leftJoin(table, joiner, null);
  }

  <VT, VR> KStream<K, VR> leftJoin(
      KTable<K, VT> table, BiFunction<? super V, ? super VT, ? extends VR> joiner, Joined<K, V, VT> joined);

  /**
   * Runs a custom processor on each record, with access to the named stores (added with {@link
   * io.millrace.streams.StreamsBuilder#addStateStore}) or those its supplier declares. Marks the
   * stream for repartitioning (the processor may change keys).
   */
  default <KOut, VOut> KStream<KOut, VOut> process(
      ProcessorSupplier<? super K, ? super V, KOut, VOut> supplier, String... stateStoreNames) {
    return process(supplier, null, stateStoreNames);
  }

  <KOut, VOut> KStream<KOut, VOut> process(
      ProcessorSupplier<? super K, ? super V, KOut, VOut> supplier, Named named, String... stateStoreNames);
}
