package io.millrace.streams.internals.state;

import io.millrace.streams.KeyValue;
import io.millrace.streams.state.KeyValueIterator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.apache.kafka.common.utils.Bytes;

/**
 * Iterates keys in order, resolving each to its value now (keys whose value is gone, or is a
 * pending delete, are skipped).
 */
final class IndexIterator implements KeyValueIterator<Bytes, byte[]> {
  private final Iterator<Bytes> keys;
  private final Function<Bytes, byte[]> resolve;
  private KeyValue<Bytes, byte[]> next;

  IndexIterator(Iterator<Bytes> keys, Function<Bytes, byte[]> resolve) {
    this.keys = keys;
    this.resolve = resolve;
  }

  @Override
  public boolean hasNext() {
    while (next == null && keys.hasNext()) {
      Bytes k = keys.next();
      byte[] v = resolve.apply(k);
      if (v != null) {
        next = KeyValue.pair(k, v);
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
