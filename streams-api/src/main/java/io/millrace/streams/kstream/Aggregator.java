package io.millrace.streams.kstream;

/** Folds a record into an aggregate: {@code (key, value, aggregate) -> new aggregate}. */
@FunctionalInterface
public interface Aggregator<K, V, VA> {
  VA apply(K key, V value, VA aggregate);
}
