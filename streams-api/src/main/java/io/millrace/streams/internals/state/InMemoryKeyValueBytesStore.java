package io.millrace.streams.internals.state;

import io.millrace.streams.KeyValue;
import io.millrace.streams.state.KeyValueIterator;
import io.millrace.streams.state.KeyValueStore;
import io.millrace.streams.state.StateStore;
import io.millrace.streams.state.StateStoreContext;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;

/**
 * The in-memory key-value store: an {@link OrderedIndex} of key bytes to value bytes. Written
 * by the task's thread, readable from any thread (interactive queries see a weakly consistent
 * view while iterating).
 */
public final class InMemoryKeyValueBytesStore implements KeyValueStore<Bytes, byte[]> {
  private final String name;
  private final OrderedIndex<byte[]> map = new OrderedIndex<>();
  private volatile boolean open;

  public InMemoryKeyValueBytesStore(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    open = true;
    context.register(root, this::restore);
  }

  /** Used directly when the store is a segment of a window or session store. */
  void open() {
    open = true;
  }

  void restore(List<ConsumerRecord<byte[], byte[]>> records) {
    for (ConsumerRecord<byte[], byte[]> r : records) {
      put(Bytes.wrap(r.key()), r.value());
    }
  }

  @Override
  public void put(Bytes key, byte[] value) {
    if (value == null) {
      map.remove(key);
    } else {
      map.put(key, value);
    }
  }

  @Override
  public byte[] putIfAbsent(Bytes key, byte[] value) {
    byte[] old = map.get(key);
    if (old == null) {
      put(key, value);
    }
    return old;
  }

  @Override
  public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
    entries.forEach(kv -> put(kv.key(), kv.value()));
  }

  @Override
  public byte[] delete(Bytes key) {
    return map.remove(key);
  }

  @Override
  public byte[] get(Bytes key) {
    return map.get(key);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
    return new IndexIterator(map.keys(from, to).iterator(), map::get);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> all() {
    return new IndexIterator(map.keys().iterator(), map::get);
  }

  @Override
  public <P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, Serializer<P> serializer) {
    Bytes p = Bytes.wrap(serializer.serialize(null, prefix));
    return new IndexIterator(map.keysWithPrefix(p).iterator(), map::get);
  }

  @Override
  public long approximateNumEntries() {
    return map.size();
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    open = false;
    map.clear();
  }

  @Override
  public boolean persistent() {
    return false;
  }

  @Override
  public boolean isOpen() {
    return open;
  }
}
