package io.millrace.streams.kstream;

/** Merges the aggregates of two sessions that a record joined into one. */
@FunctionalInterface
public interface Merger<K, V> {
  V apply(K key, V aggregate1, V aggregate2);
}
