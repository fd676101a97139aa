package io.millrace.streams.state;

import io.millrace.streams.KeyValue;
import java.io.Closeable;
import java.util.Iterator;

/**
 * An iterator over store entries in key order (by serialized key bytes). Close it when done;
 * use it in try-with-resources.
 *
 * <p>Threading: used by the thread that opened it; close it (try-with-resources) to release what it
 * holds.
 */
public interface KeyValueIterator<K, V> extends Iterator<KeyValue<K, V>>, Closeable {

  @Override
  void close();

  /**
   * The next key without moving.
   *
   * @throws java.util.NoSuchElementException if there is none
   */
  K peekNextKey();
}
