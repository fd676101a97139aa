package io.millrace.streams.kstream;

import io.millrace.streams.KeyValue;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * A changelog stream seen as a table: each record is the new value of its key (null deletes
 * it). Downstream operations see updates, each with the old value, which is what lets {@link
 * KGroupedTable} aggregations subtract.
 *
 * <p>Joins with a table read its current value per key, so the table's source topic must be
 * co-partitioned with whatever joins it (same partition count, same partitioning).
 *
 * <p>Threading: built on one thread, like the {@code StreamsBuilder} it came from; functions passed
 * here run on stream threads, one task at a time, and one instance serves every task, so they must
 * not keep mutable state outside stores.
 */
public interface KTable<K, V> {

  default KTable<K, V> filter(BiPredicate<? super K, ? super V> predicate) {
    return filter(predicate, null, null);
  }

  default KTable<K, V> filter(BiPredicate<? super K, ? super V> predicate, Named named) {
    return filter(predicate, named, null);
  }

  default KTable<K, V> filter(BiPredicate<? super K, ? super V> predicate, Materialized<K, V, ?> materialized) {
    return filter(predicate, null, materialized);
  }

  KTable<K, V> filter(BiPredicate<? super K, ? super V> predicate, Named named, Materialized<K, V, ?> materialized);

  default KTable<K, V> filterNot(BiPredicate<? super K, ? super V> predicate) {
    return filterNot(predicate, null);
  }

  KTable<K, V> filterNot(BiPredicate<? super K, ? super V> predicate, Named named);

  default <VR> KTable<K, VR> mapValues(Function<? super V, ? extends VR> mapper) {
    return mapValues(mapper, null, null);
  }

  default <VR> KTable<K, VR> mapValues(Function<? super V, ? extends VR> mapper, Named named) {
    return mapValues(mapper, named, null);
  }

  <VR> KTable<K, VR> mapValues(BiFunction<? super K, ? super V, ? extends VR> mapper);

  default <VR> KTable<K, VR> mapValues(Function<? super V, ? extends VR> mapper, Materialized<K, VR, ?> materialized) {
    return mapValues(mapper, null, materialized);
  }

  <VR> KTable<K, VR> mapValues(
      Function<? super V, ? extends VR> mapper, Named named, Materialized<K, VR, ?> materialized);

  /** The table's updates as a stream (a deletion becomes a record with a null value). */
  default KStream<K, V> toStream() {
    return toStream(null);
  }

  KStream<K, V> toStream(Named named);

  /** Re-groups the table by a new key; aggregations of the result add new and subtract old values. */
  default <KR, VR> KGroupedTable<KR, VR> groupBy(
      BiFunction<? super K, ? super V, KeyValue<KR, VR>> selector) {
    return groupBy(selector, null);
  }

  <KR, VR> KGroupedTable<KR, VR> groupBy(
      BiFunction<? super K, ? super V, KeyValue<KR, VR>> selector, Grouped<KR, VR> grouped);

  /** A table of both tables' values for keys present in both. */
  <VO, VR> KTable<K, VR> join(KTable<K, VO> other, BiFunction<? super V, ? super VO, ? extends VR> joiner);

  <VO, VR> KTable<K, VR> join(
      KTable<K, VO> other, BiFunction<? super V, ? super VO, ? extends VR> joiner, Materialized<K, VR, ?> materialized);

  <VO, VR> KTable<K, VR> join(
      KTable<K, VO> other, BiFunction<? super V, ? super VO, ? extends VR> joiner, Named named,
      Materialized<K, VR, ?> materialized);

  /** As {@link #join}, for every key of this table (the other value may be null). */
  <VO, VR> KTable<K, VR> leftJoin(KTable<K, VO> other, BiFunction<? super V, ? super VO, ? extends VR> joiner);

  <VO, VR> KTable<K, VR> leftJoin(
      KTable<K, VO> other, BiFunction<? super V, ? super VO, ? extends VR> joiner, Materialized<K, VR, ?> materialized);

  /** As {@link #join}, for every key of either table (either value may be null). */
  <VO, VR> KTable<K, VR> outerJoin(KTable<K, VO> other, BiFunction<? super V, ? super VO, ? extends VR> joiner);

  <VO, VR> KTable<K, VR> outerJoin(
      KTable<K, VO> other, BiFunction<? super V, ? super VO, ? extends VR> joiner, Materialized<K, VR, ?> materialized);

  /** Holds back updates of a windowed table until each window closes (emit final). */
  KTable<K, V> suppress(Suppressed<? super K> suppressed);

  /** The name of the store to query this table by, or null if it is not materialized under a name. */
  String queryableStoreName();
}
