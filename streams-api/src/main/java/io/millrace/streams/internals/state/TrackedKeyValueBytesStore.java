package io.millrace.streams.internals.state;

import io.millrace.streams.KeyValue;
import io.millrace.streams.state.KeyValueIterator;
import io.millrace.streams.state.KeyValueStore;
import io.millrace.streams.state.StateStore;
import io.millrace.streams.state.StateStoreContext;
import java.util.List;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;

/**
 * A key-value bytes store with its changelog and record cache ({@link ChangeTracker}).
 *
 * <p>Threading: as the store it wraps: written by the task's stream thread, readable from any
 * thread.
 */
public final class TrackedKeyValueBytesStore extends StoreLayer<KeyValueStore<Bytes, byte[]>>
    implements KeyValueStore<Bytes, byte[]>, Flushable {
  private final ChangeTracker tracker;

  public TrackedKeyValueBytesStore(
      KeyValueStore<Bytes, byte[]> inner, boolean logging, boolean caching, boolean timestamped) {
    super(inner);
    this.tracker = new ChangeTracker(inner.name(), logging, caching, timestamped);
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    inner.init(tracker.wrap(context), root);
  }

  public boolean setFlushListener(FlushListener<Bytes, byte[]> listener) {
    return tracker.setFlushListener(listener);
  }

  @Override
  public void put(Bytes key, byte[] value) {
    tracker.beforeWrite(key, inner::get);
    inner.put(key, value);
    tracker.afterWrite(key, value, inner::get, k -> false);
  }

  @Override
  public byte[] putIfAbsent(Bytes key, byte[] value) {
    byte[] old = inner.get(key);
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
    byte[] old = inner.get(key);
    if (old != null) {
      put(key, null);
    }
    return old;
  }

  @Override
  public byte[] get(Bytes key) {
    return inner.get(key);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
    return inner.range(from, to);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> all() {
    return inner.all();
  }

  @Override
  public <P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, Serializer<P> serializer) {
    return inner.prefixScan(prefix, serializer);
  }

  @Override
  public long approximateNumEntries() {
    return inner.approximateNumEntries();
  }

  @Override
  public void flushCache() {
    tracker.flush(inner::get, k -> false);
  }

  @Override
  public void flush() {
    flushCache();
    inner.flush();
  }
}
