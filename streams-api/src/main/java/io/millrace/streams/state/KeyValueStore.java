package io.millrace.streams.state;

import io.millrace.streams.KeyValue;
import java.util.List;

/**
 * A key-value store. Not thread-safe for writes: only the owning task writes.
 *
 * @param <K> key type (never null)
 * @param <V> value type; putting null deletes
 */
public interface KeyValueStore<K, V> extends StateStore, ReadOnlyKeyValueStore<K, V> {

  void put(K key, V value);

  /** Puts only if absent; returns the value present before, or null. */
  V putIfAbsent(K key, V value);

  void putAll(List<KeyValue<K, V>> entries);

  /** Deletes and returns the old value, or null. */
  V delete(K key);
}
