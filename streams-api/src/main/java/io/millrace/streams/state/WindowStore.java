package io.millrace.streams.state;

/**
 * A store of values per key and window start time, with a retention period after which old
 * windows are dropped. Only the owning task writes.
 *
 * <p>Threading: written by its task's stream thread only; read-only views of it may be read from
 * any thread (interactive queries).
 */
public interface WindowStore<K, V> extends StateStore, ReadOnlyWindowStore<K, V> {

  /**
   * Puts (or, with null, deletes) the value of the window starting at {@code windowStartTime}.
   * A store that retains duplicates keeps every put. Puts older than the retention are ignored.
   */
  void put(K key, V value, long windowStartTime);
}
