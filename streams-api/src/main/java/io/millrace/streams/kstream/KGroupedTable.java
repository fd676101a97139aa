package io.millrace.streams.kstream;

import java.util.function.BinaryOperator;
import java.util.function.Supplier;

/**
 * A re-grouped table: an update of the source table subtracts the old value from its old
 * group's aggregate and adds the new value to its new group's aggregate.
 *
 * <p>Threading: built on one thread, like the {@code StreamsBuilder} it came from; functions passed
 * here run on stream threads, one task at a time, and one instance serves every task, so they must
 * not keep mutable state outside stores.
 */
public interface KGroupedTable<K, V> {

  default KTable<K, Long> count() {
    return count(null, null);
  }

  default KTable<K, Long> count(Materialized<K, Long, ?> materialized) {
    return count(null, materialized);
  }

  KTable<K, Long> count(Named named, Materialized<K, Long, ?> materialized);

  default KTable<K, V> reduce(BinaryOperator<V> adder, BinaryOperator<V> subtractor) {
    return reduce(adder, subtractor, null);
  }

  KTable<K, V> reduce(BinaryOperator<V> adder, BinaryOperator<V> subtractor, Materialized<K, V, ?> materialized);

  default <VA> KTable<K, VA> aggregate(
      Supplier<VA> initializer, Aggregator<? super K, ? super V, VA> adder,
      Aggregator<? super K, ? super V, VA> subtractor) {
    return aggregate(initializer, adder, subtractor, null, null);
  }

  default <VA> KTable<K, VA> aggregate(
      Supplier<VA> initializer, Aggregator<? super K, ? super V, VA> adder,
      Aggregator<? super K, ? super V, VA> subtractor, Materialized<K, VA, ?> materialized) {
    return aggregate(initializer, adder, subtractor, null, materialized);
  }

  <VA> KTable<K, VA> aggregate(
      Supplier<VA> initializer, Aggregator<? super K, ? super V, VA> adder,
      Aggregator<? super K, ? super V, VA> subtractor, Named named, Materialized<K, VA, ?> materialized);
}
