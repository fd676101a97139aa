package io.millrace.streams.kstream;

import java.util.function.BinaryOperator;
import java.util.function.Supplier;

/**
 * A grouped stream windowed by sessions. When a record bridges two sessions they merge, and
 * the result table gets a deletion for each merged session and an update for the new one.
 *
 * <p>Threading: built on one thread, like the {@code StreamsBuilder} it came from; functions passed
 * here run on stream threads, one task at a time, and one instance serves every task, so they must
 * not keep mutable state outside stores.
 */
public interface SessionWindowedKStream<K, V> {

  default KTable<Windowed<K>, Long> count() {
    return count(null);
  }

  KTable<Windowed<K>, Long> count(Materialized<K, Long, ?> materialized);

  default KTable<Windowed<K>, V> reduce(BinaryOperator<V> reducer) {
    return reduce(reducer, null);
  }

  KTable<Windowed<K>, V> reduce(BinaryOperator<V> reducer, Materialized<K, V, ?> materialized);

  default <VA> KTable<Windowed<K>, VA> aggregate(
      Supplier<VA> initializer, Aggregator<? super K, ? super V, VA> aggregator, Merger<? super K, VA> merger) {
    return aggregate(initializer, aggregator, merger, null, null);
  }

  default <VA> KTable<Windowed<K>, VA> aggregate(
      Supplier<VA> initializer, Aggregator<? super K, ? super V, VA> aggregator, Merger<? super K, VA> merger,
      Materialized<K, VA, ?> materialized) {
    return aggregate(initializer, aggregator, merger, null, materialized);
  }

  <VA> KTable<Windowed<K>, VA> aggregate(
      Supplier<VA> initializer, Aggregator<? super K, ? super V, VA> aggregator, Merger<? super K, VA> merger,
      Named named, Materialized<K, VA, ?> materialized);

  /** Emit on every update (default) or once per session when it closes. */
  SessionWindowedKStream<K, V> emitStrategy(EmitStrategy strategy);
}
