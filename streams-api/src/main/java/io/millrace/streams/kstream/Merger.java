package io.millrace.streams.kstream;

/**
 * Merges the aggregates of two sessions that a record joined into one.
 *
 * <p>Threading: called on stream threads, one task at a time; one instance serves every task of the
 * instance, so it must be thread-safe (a lambda without mutable captured state is).
 */
@FunctionalInterface
public interface Merger<K, V> {
  V apply(K key, V aggregate1, V aggregate2);
}
