package io.millrace.streams.kstream;

import java.util.function.BinaryOperator;
import java.util.function.Supplier;

/**
 * A re-grouped table: an update of the source table subtracts the old value from its old
 * group's aggregate and adds the new value to its new group's aggregate.
 */
public interface KGroupedTable<K, V> {

  KTable<K, Long> count();

  KTable<K, Long> count(Materialized<K, Long, ?> materialized);

  KTable<K, Long> count(Named named, Materialized<K, Long, ?> materialized);

  KTable<K, V> reduce(BinaryOperator<V> adder, BinaryOperator<V> subtractor);

  KTable<K, V> reduce(BinaryOperator<V> adder, BinaryOperator<V> subtractor, Materialized<K, V, ?> materialized);

  <VA> KTable<K, VA> aggregate(
      Supplier<VA> initializer, Aggregator<? super K, ? super V, VA> adder,
      Aggregator<? super K, ? super V, VA> subtractor);

  <VA> KTable<K, VA> aggregate(
      Supplier<VA> initializer, Aggregator<? super K, ? super V, VA> adder,
      Aggregator<? super K, ? super V, VA> subtractor, Materialized<K, VA, ?> materialized);

  <VA> KTable<K, VA> aggregate(
      Supplier<VA> initializer, Aggregator<? super K, ? super V, VA> adder,
      Aggregator<? super K, ? super V, VA> subtractor, Named named, Materialized<K, VA, ?> materialized);
}
