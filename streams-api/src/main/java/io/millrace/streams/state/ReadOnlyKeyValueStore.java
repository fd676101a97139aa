package io.millrace.streams.state;

import org.apache.kafka.common.serialization.Serializer;

/**
 * Reads of a key-value store, as interactive queries see it. Ranges follow the order of the
 * serialized keys (unsigned bytes), which for Kafka's String serde is the strings' UTF-8 order
 * and for its Long and Integer serdes numeric order for non-negative numbers.
 *
 * <p>Threading: may be called from any thread (interactive queries) while the task's stream
 * thread writes: a read sees a key's value from before or after a write, and iterators are
 * weakly consistent (they may or may not see writes made while they run). Close iterators.
 */
public interface ReadOnlyKeyValueStore<K, V> {

  /** The value, or null if absent. */
  V get(K key);

  /** Entries with {@code from <= key <= to}; a null bound is open. */
  KeyValueIterator<K, V> range(K from, K to);

  KeyValueIterator<K, V> all();

  /** Entries whose serialized key starts with the serialized prefix. */
  <P> KeyValueIterator<K, V> prefixScan(P prefix, Serializer<P> prefixKeySerializer);

  /** The number of entries (exact for the built-in stores). */
  long approximateNumEntries();
}
