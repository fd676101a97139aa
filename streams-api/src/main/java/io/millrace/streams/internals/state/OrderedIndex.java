package io.millrace.streams.internals.state;

import java.util.Collection;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import org.apache.kafka.common.utils.Bytes;

/**
 * A map from key bytes with both O(1) point access and ordered ranges: a hash map for get and
 * put, plus a sorted set of the keys that changes only when a key is added or removed.
 *
 * <p>Why: stream state is mostly point reads and overwrites of existing keys (an aggregation
 * reads and rewrites its key for every record); in a skip list each of those pays about log2(n)
 * byte-array comparisons, which profiling showed as the largest cost of a word count. Ranges
 * (window fetches, interactive queries) walk the sorted set and look each key up.
 *
 * <p>Threading: one writer; readers on any thread see a weakly consistent view (a key being
 * added may be missed by an iteration in progress; a removed key is skipped).
 */
final class OrderedIndex<V> {
  private final ConcurrentHashMap<Bytes, V> map = new ConcurrentHashMap<>();
  private final ConcurrentSkipListSet<Bytes> keys = new ConcurrentSkipListSet<>();

  V get(Bytes key) {
    return map.get(key);
  }

  V put(Bytes key, V value) {
    V old = map.put(key, value);
    if (old == null) {
      keys.add(key);
    }
    return old;
  }

  V remove(Bytes key) {
    V old = map.remove(key);
    if (old != null) {
      keys.remove(key);
    }
    return old;
  }

  boolean remove(Bytes key, V expected) {
    if (map.remove(key, expected)) {
      keys.remove(key);
      return true;
    }
    return false;
  }

  boolean replace(Bytes key, V expected, V value) {
    return map.replace(key, expected, value);
  }

  int size() {
    return map.size();
  }

  void clear() {
    map.clear();
    keys.clear();
  }

  /** Keys in order, {@code from <= key <= to}; a null bound is open. */
  NavigableSet<Bytes> keys(Bytes from, Bytes to) {
    if (from != null && to != null) {
      return from.compareTo(to) > 0 ? keys.subSet(from, true, from, false) : keys.subSet(from, true, to, true);
    }
    if (from != null) {
      return keys.tailSet(from, true);
    }
    return to != null ? keys.headSet(to, true) : keys;
  }

  /** Keys starting with {@code prefix}, in order. */
  NavigableSet<Bytes> keysWithPrefix(Bytes prefix) {
    Bytes upper = successor(prefix);
    return upper == null ? keys.tailSet(prefix, true) : keys.subSet(prefix, true, upper, false);
  }

  /** The smallest key greater than every key starting with {@code prefix}; null if none is. */
  static Bytes successor(Bytes prefix) {
    byte[] b = prefix.get().clone();
    for (int i = b.length - 1; i >= 0; i--) {
      if (b[i] != (byte) 0xFF) {
        b[i]++;
        return Bytes.wrap(java.util.Arrays.copyOf(b, i + 1));
      }
    }
    return null;
  }

  /** Every key in order. */
  NavigableSet<Bytes> keys() {
    return keys;
  }

  Collection<V> values() {
    return map.values();
  }
}
