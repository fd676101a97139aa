package io.millrace.streams.internals.state;

import io.millrace.streams.KeyValue;
import io.millrace.streams.state.KeyValueIterator;
import io.millrace.streams.state.KeyValueStore;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.apache.kafka.common.utils.Bytes;

/**
 * Walks a range of raw keys across segments in order, turning each entry into a result (or
 * null to skip it: wrong key, outside the time range, expired).
 */
final class SegmentIterator<K, V> implements KeyValueIterator<K, V> {
  private final Iterator<KeyValueStore<Bytes, byte[]>> segments;
  private final Bytes from;
  private final Bytes to;
  private final Function<KeyValue<Bytes, byte[]>, KeyValue<K, V>> convert;
  private KeyValueIterator<Bytes, byte[]> current;
  private KeyValue<K, V> next;

  SegmentIterator(
      List<KeyValueStore<Bytes, byte[]>> segments,
      Bytes from,
      Bytes to,
      Function<KeyValue<Bytes, byte[]>, KeyValue<K, V>> convert) {
    this.segments = segments.iterator();
    this.from = from;
    this.to = to;
    this.convert = convert;
  }

  @Override
  public boolean hasNext() {
    while (next == null) {
      if (current == null || !current.hasNext()) {
        if (current != null) {
          current.close();
          current = null;
        }
        if (!segments.hasNext()) {
          return false;
        }
        KeyValueStore<Bytes, byte[]> segment = segments.next();
        if (!segment.isOpen()) {
          continue;
        }
        current = segment.range(from, to);
        continue;
      }
      next = convert.apply(current.next());
    }
    return true;
  }

  @Override
  public KeyValue<K, V> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    KeyValue<K, V> kv = next;
    next = null;
    return kv;
  }

  @Override
  public K peekNextKey() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return next.key();
  }

  @Override
  public void close() {
    if (current != null) {
      current.close();
    }
  }
}
