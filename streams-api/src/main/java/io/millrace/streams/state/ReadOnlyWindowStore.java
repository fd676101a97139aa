package io.millrace.streams.state;

import io.millrace.streams.kstream.Windowed;

/**
 * Reads of a window store: values per key and window start time. Windows older than the
 * store's retention period are gone.
 *
 * <p>Threading: may be called from any thread (interactive queries) while the task's stream
 * thread writes: a read sees a key's value from before or after a write, and iterators are
 * weakly consistent (they may or may not see writes made while they run). Close iterators.
 */
public interface ReadOnlyWindowStore<K, V> {

  /** The value of the window of {@code key} starting at {@code windowStartTime}, or null. */
  V fetch(K key, long windowStartTime);

  /** The windows of {@code key} starting in {@code [timeFrom, timeTo]}, in time order. */
  WindowStoreIterator<V> fetch(K key, long timeFrom, long timeTo);

  /** Windows of keys in {@code [keyFrom, keyTo]} (null is open) starting in the time range. */
  KeyValueIterator<Windowed<K>, V> fetch(K keyFrom, K keyTo, long timeFrom, long timeTo);

  /** Every window starting in {@code [timeFrom, timeTo]}. */
  KeyValueIterator<Windowed<K>, V> fetchAll(long timeFrom, long timeTo);

  KeyValueIterator<Windowed<K>, V> all();
}
