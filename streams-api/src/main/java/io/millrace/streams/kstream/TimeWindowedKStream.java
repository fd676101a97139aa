package io.millrace.streams.kstream;

import java.util.function.BinaryOperator;
import java.util.function.Supplier;

/**
 * A grouped stream windowed by time (fixed or sliding windows), ready to aggregate.
 *
 * <p>Threading: built on one thread, like the {@code StreamsBuilder} it came from; functions passed
 * here run on stream threads, one task at a time, and one instance serves every task, so they must
 * not keep mutable state outside stores.
 */
public interface TimeWindowedKStream<K, V> {

  default KTable<Windowed<K>, Long> count() {
    return count(null, null);
  }

  default KTable<Windowed<K>, Long> count(Materialized<K, Long, ?> materialized) {
    return count(null, materialized);
  }

  KTable<Windowed<K>, Long> count(Named named, Materialized<K, Long, ?> materialized);

  default KTable<Windowed<K>, V> reduce(BinaryOperator<V> reducer) {
    return reduce(reducer, null);
  }

  KTable<Windowed<K>, V> reduce(BinaryOperator<V> reducer, Materialized<K, V, ?> materialized);

  default <VA> KTable<Windowed<K>, VA> aggregate(Supplier<VA> initializer, Aggregator<? super K, ? super V, VA> aggregator) {
    return aggregate(initializer, aggregator, null, null);
  }

  default <VA> KTable<Windowed<K>, VA> aggregate(
      Supplier<VA> initializer, Aggregator<? super K, ? super V, VA> aggregator, Materialized<K, VA, ?> materialized) {
    return aggregate(initializer, aggregator, null, materialized);
  }

  <VA> KTable<Windowed<K>, VA> aggregate(
      Supplier<VA> initializer, Aggregator<? super K, ? super V, VA> aggregator, Named named,
      Materialized<K, VA, ?> materialized);

  /** Emit on every update (default) or once per window when it closes. */
  TimeWindowedKStream<K, V> emitStrategy(EmitStrategy strategy);
}
