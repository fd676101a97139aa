package io.millrace.streams.internals.state;

import io.millrace.streams.kstream.Windowed;
import io.millrace.streams.state.KeyValueIterator;
import io.millrace.streams.state.StateStore;
import io.millrace.streams.state.StateStoreContext;
import io.millrace.streams.state.WindowStore;
import io.millrace.streams.state.WindowStoreIterator;
import org.apache.kafka.common.utils.Bytes;

/**
 * A window bytes store with its changelog and record cache ({@link ChangeTracker}).
 *
 * <p>Threading: as the store it wraps: written by the task's stream thread, readable from any
 * thread.
 */
public final class TrackedWindowBytesStore extends StoreLayer<SegmentedWindowBytesStore>
    implements WindowStore<Bytes, byte[]>, Flushable {
  private final ChangeTracker tracker;

  public TrackedWindowBytesStore(
      SegmentedWindowBytesStore inner, boolean logging, boolean caching, boolean timestamped) {
    super(inner);
    // Stores that keep duplicates (join buffers) are never cached: every put is a new entry.
    this.tracker =
        new ChangeTracker(inner.name(), logging, caching && !inner.retainDuplicates(), timestamped);
  }

  public SegmentedWindowBytesStore inner() {
    return inner;
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    inner.init(tracker.wrap(context), root);
  }

  public boolean setFlushListener(FlushListener<Bytes, byte[]> listener) {
    return tracker.setFlushListener(listener);
  }

  @Override
  public void put(Bytes key, byte[] value, long windowStartTime) {
    if (inner.retainDuplicates()) {
      Bytes raw = inner.putAndGetRawKey(key, value, windowStartTime);
      if (raw != null) {
        tracker.afterWrite(raw, value, inner::getRaw, inner::expiredRaw);
      }
      return;
    }
    Bytes raw = WindowKeys.toStoreKey(key.get(), windowStartTime, 0);
    if (inner.expiredRaw(raw)) {
      inner.putRaw(raw, value); // advances nothing, drops the write, as the store decides
      return;
    }
    tracker.beforeWrite(raw, inner::getRaw);
    if (inner.putRaw(raw, value)) {
      tracker.afterWrite(raw, value, inner::getRaw, inner::expiredRaw);
    }
  }

  @Override
  public byte[] fetch(Bytes key, long windowStartTime) {
    return inner.fetch(key, windowStartTime);
  }

  @Override
  public WindowStoreIterator<byte[]> fetch(Bytes key, long timeFrom, long timeTo) {
    return inner.fetch(key, timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> fetch(
      Bytes keyFrom, Bytes keyTo, long timeFrom, long timeTo) {
    return inner.fetch(keyFrom, keyTo, timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> fetchAll(long timeFrom, long timeTo) {
    return inner.fetchAll(timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> all() {
    return inner.all();
  }

  @Override
  public void flushCache() {
    tracker.flush(inner::getRaw, inner::expiredRaw);
  }

  @Override
  public void flush() {
    flushCache();
    inner.flush();
  }
}
