package io.millrace.streams.kstream;

import java.util.function.BinaryOperator;
import java.util.function.Supplier;

/**
 * A grouped stream windowed by sessions. When a record bridges two sessions they merge, and
 * the result table gets a deletion for each merged session and an update for the new one.
 */
public interface SessionWindowedKStream<K, V> {

  KTable<Windowed<K>, Long> count();

  KTable<Windowed<K>, Long> count(Materialized<K, Long, ?> materialized);

  KTable<Windowed<K>, V> reduce(BinaryOperator<V> reducer);

  KTable<Windowed<K>, V> reduce(BinaryOperator<V> reducer, Materialized<K, V, ?> materialized);

  <VA> KTable<Windowed<K>, VA> aggregate(
      Supplier<VA> initializer, Aggregator<? super K, ? super V, VA> aggregator, Merger<? super K, VA> merger);

  <VA> KTable<Windowed<K>, VA> aggregate(
      Supplier<VA> initializer, Aggregator<? super K, ? super V, VA> aggregator, Merger<? super K, VA> merger,
      Materialized<K, VA, ?> materialized);

  <VA> KTable<Windowed<K>, VA> aggregate(
      Supplier<VA> initializer, Aggregator<? super K, ? super V, VA> aggregator, Merger<? super K, VA> merger,
      Named named, Materialized<K, VA, ?> materialized);

  /** Emit on every update (default) or once per session when it closes. */
  SessionWindowedKStream<K, V> emitStrategy(EmitStrategy strategy);
}
