package io.millrace.streams.kstream;

import java.util.function.BinaryOperator;
import java.util.function.Supplier;

/**
 * A stream grouped by key, ready to aggregate into a table or to be windowed.
 *
 * <p>Threading: built on one thread, like the {@code StreamsBuilder} it came from; functions passed
 * here run on stream threads, one task at a time, and one instance serves every task, so they must
 * not keep mutable state outside stores.
 */
public interface KGroupedStream<K, V> {

  /** Records per key. */
  default KTable<K, Long> count() {
    return count(null, null);
  }

  default KTable<K, Long> count(Named named) {
    return count(named, null);
  }

  default KTable<K, Long> count(Materialized<K, Long, ?> materialized) {
    return count(null, materialized);
  }

  KTable<K, Long> count(Named named, Materialized<K, Long, ?> materialized);

  /** Combines each key's values; the first value is the starting aggregate. */
  default KTable<K, V> reduce(BinaryOperator<V> reducer) {
    return reduce(reducer, null, null);
  }

  default KTable<K, V> reduce(BinaryOperator<V> reducer, Materialized<K, V, ?> materialized) {
    return reduce(reducer, null, materialized);
  }

  KTable<K, V> reduce(BinaryOperator<V> reducer, Named named, Materialized<K, V, ?> materialized);

  /** Folds each key's values into an aggregate starting from {@code initializer}. */
  default <VA> KTable<K, VA> aggregate(Supplier<VA> initializer, Aggregator<? super K, ? super V, VA> aggregator) {
    return aggregate(initializer, aggregator, null, null);
  }

  default <VA> KTable<K, VA> aggregate(
      Supplier<VA> initializer, Aggregator<? super K, ? super V, VA> aggregator, Materialized<K, VA, ?> materialized) {
    return aggregate(initializer, aggregator, null, materialized);
  }

  <VA> KTable<K, VA> aggregate(
      Supplier<VA> initializer, Aggregator<? super K, ? super V, VA> aggregator, Named named,
      Materialized<K, VA, ?> materialized);

  /** Aggregates per fixed-size (tumbling or hopping) window. */
  TimeWindowedKStream<K, V> windowedBy(TimeWindows windows);

  /** Aggregates per sliding window. */
  TimeWindowedKStream<K, V> windowedBy(SlidingWindows windows);

  /** Aggregates per session. */
  SessionWindowedKStream<K, V> windowedBy(SessionWindows windows);
}
