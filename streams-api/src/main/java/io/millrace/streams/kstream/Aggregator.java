package io.millrace.streams.kstream;

/**
 * Folds a record into an aggregate: {@code (key, value, aggregate) -> new aggregate}.
 *
 * <p>Threading: called on stream threads, one task at a time; one instance serves every task of the
 * instance, so it must be thread-safe (a lambda without mutable captured state is).
 */
@FunctionalInterface
public interface Aggregator<K, V, VA> {
  VA apply(K key, V value, VA aggregate);
}
