package io.millrace.streams.internals.state;

import io.millrace.streams.KeyValue;
import io.millrace.streams.state.KeyValueIterator;
import io.millrace.streams.state.KeyValueStore;
import io.millrace.streams.state.StateStore;
import io.millrace.streams.state.StateStoreContext;
import io.millrace.streams.state.TimestampedKeyValueStore;
import io.millrace.streams.state.ValueAndTimestamp;
import java.util.List;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A timestamped key-value store seen as a plain one (values without timestamps), for tests and
 * interactive queries. Puts carry timestamp -1 (none).
 *
 * <p>Threading: as the store it wraps: written by the task's stream thread, readable from any
 * thread.
 */
public final class TimestampedKeyValueStoreView<K, V> extends StoreLayer<TimestampedKeyValueStore<K, V>>
    implements KeyValueStore<K, V> {

  public TimestampedKeyValueStoreView(TimestampedKeyValueStore<K, V> inner) {
    super(inner);
  }

  @Override
  public void put(K key, V value) {
    inner.put(key, value == null ? null : new ValueAndTimestamp<>(value, -1));
  }

  @Override
  public V putIfAbsent(K key, V value) {
    return ValueAndTimestamp.getValueOrNull(inner.putIfAbsent(key, new ValueAndTimestamp<>(value, -1)));
  }

  @Override
  public void putAll(List<KeyValue<K, V>> entries) {
    entries.forEach(kv -> put(kv.key(), kv.value()));
  }

  @Override
  public V delete(K key) {
    return ValueAndTimestamp.getValueOrNull(inner.delete(key));
  }

  @Override
  public V get(K key) {
    return ValueAndTimestamp.getValueOrNull(inner.get(key));
  }

  @Override
  public KeyValueIterator<K, V> range(K from, K to) {
    return new MappedIterator<>(inner.range(from, to), k -> k, ValueAndTimestamp::getValueOrNull);
  }

  @Override
  public KeyValueIterator<K, V> all() {
    return new MappedIterator<>(inner.all(), k -> k, ValueAndTimestamp::getValueOrNull);
  }

  @Override
  public <P> KeyValueIterator<K, V> prefixScan(P prefix, Serializer<P> serializer) {
    return new MappedIterator<>(inner.prefixScan(prefix, serializer), k -> k, ValueAndTimestamp::getValueOrNull);
  }

  @Override
  public long approximateNumEntries() {
    return inner.approximateNumEntries();
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    throw new UnsupportedOperationException("A view is not initialised; its store is");
  }
}
