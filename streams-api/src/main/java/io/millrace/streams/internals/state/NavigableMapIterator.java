package io.millrace.streams.internals.state;

import io.millrace.streams.KeyValue;
import io.millrace.streams.state.KeyValueIterator;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.BiFunction;
import org.apache.kafka.common.utils.Bytes;

/**
 * Iterates a sorted map's entries, resolving each value through a function (which may return
 * null for entries that vanished or are pending deletes: those are skipped).
 */
final class NavigableMapIterator<S> implements KeyValueIterator<Bytes, byte[]> {
  private final Iterator<Map.Entry<Bytes, S>> entries;
  private final BiFunction<Bytes, S, byte[]> resolve;
  private KeyValue<Bytes, byte[]> next;

  NavigableMapIterator(Iterator<Map.Entry<Bytes, S>> entries, BiFunction<Bytes, S, byte[]> resolve) {
    this.entries = entries;
    this.resolve = resolve;
  }

  @Override
  public boolean hasNext() {
    while (next == null && entries.hasNext()) {
      Map.Entry<Bytes, S> e = entries.next();
      byte[] value = resolve.apply(e.getKey(), e.getValue());
      if (value != null) {
        next = KeyValue.pair(e.getKey(), value);
      }
    }
    return next != null;
  }

  @Override
  public KeyValue<Bytes, byte[]> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    KeyValue<Bytes, byte[]> kv = next;
    next = null;
    return kv;
  }

  @Override
  public Bytes peekNextKey() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return next.key();
  }

  @Override
  public void close() {}
}
