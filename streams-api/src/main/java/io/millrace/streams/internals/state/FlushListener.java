package io.millrace.streams.internals.state;

/**
 * Receives each deduplicated change when a caching store flushes (on commit or when the cache
 * is full): the DSL forwards it downstream from here.
 *
 * <p>Threading: its task's stream thread only.
 */
@FunctionalInterface
public interface FlushListener<K, V> {

  /**
   * @param key the changed key
   * @param newValue the value now (null if deleted)
   * @param oldValue the value at the previous flush (null if absent then)
   * @param timestamp the timestamp of the last write
   */
  void apply(K key, V newValue, V oldValue, long timestamp);
}
