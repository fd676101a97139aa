package io.millrace.streams.internals.state;

import io.millrace.streams.KeyValue;
import io.millrace.streams.kstream.Windowed;
import io.millrace.streams.state.KeyValueIterator;
import io.millrace.streams.state.StateStore;
import io.millrace.streams.state.StateStoreContext;
import io.millrace.streams.state.TimestampedWindowStore;
import io.millrace.streams.state.ValueAndTimestamp;
import io.millrace.streams.state.WindowStore;
import io.millrace.streams.state.WindowStoreIterator;

/**
 * A timestamped window store seen as a plain one, for tests and interactive queries.
 *
 * <p>Threading: as the store it wraps: written by the task's stream thread, readable from any
 * thread.
 */
public final class TimestampedWindowStoreView<K, V> extends StoreLayer<TimestampedWindowStore<K, V>>
    implements WindowStore<K, V> {

  public TimestampedWindowStoreView(TimestampedWindowStore<K, V> inner) {
    super(inner);
  }

  @Override
  public void put(K key, V value, long windowStartTime) {
    inner.put(key, value == null ? null : new ValueAndTimestamp<>(value, windowStartTime), windowStartTime);
  }

  @Override
  public V fetch(K key, long windowStartTime) {
    return ValueAndTimestamp.getValueOrNull(inner.fetch(key, windowStartTime));
  }

  @Override
  public WindowStoreIterator<V> fetch(K key, long timeFrom, long timeTo) {
    WindowStoreIterator<ValueAndTimestamp<V>> it = inner.fetch(key, timeFrom, timeTo);
    return new WindowStoreIterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public KeyValue<Long, V> next() {
        KeyValue<Long, ValueAndTimestamp<V>> kv = it.next();
        return KeyValue.pair(kv.key(), ValueAndTimestamp.getValueOrNull(kv.value()));
      }

      @Override
      public Long peekNextKey() {
        return it.peekNextKey();
      }

      @Override
      public void close() {
        it.close();
      }
    };
  }

  @Override
  public KeyValueIterator<Windowed<K>, V> fetch(K keyFrom, K keyTo, long timeFrom, long timeTo) {
    return new MappedIterator<>(
        inner.fetch(keyFrom, keyTo, timeFrom, timeTo), k -> k, ValueAndTimestamp::getValueOrNull);
  }

  @Override
  public KeyValueIterator<Windowed<K>, V> fetchAll(long timeFrom, long timeTo) {
    return new MappedIterator<>(inner.fetchAll(timeFrom, timeTo), k -> k, ValueAndTimestamp::getValueOrNull);
  }

  @Override
  public KeyValueIterator<Windowed<K>, V> all() {
    return new MappedIterator<>(inner.all(), k -> k, ValueAndTimestamp::getValueOrNull);
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    throw new UnsupportedOperationException("A view is not initialised; its store is");
  }
}
