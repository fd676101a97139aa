package io.millrace.streams.internals.state;

import io.millrace.streams.kstream.Windowed;
import io.millrace.streams.state.KeyValueIterator;
import io.millrace.streams.state.SessionStore;
import io.millrace.streams.state.StateStore;
import io.millrace.streams.state.StateStoreContext;
import org.apache.kafka.common.utils.Bytes;

/**
 * A session bytes store with its changelog and record cache ({@link ChangeTracker}).
 *
 * <p>Threading: as the store it wraps: written by the task's stream thread, readable from any
 * thread.
 */
public final class TrackedSessionBytesStore extends StoreLayer<SegmentedSessionBytesStore>
    implements SessionStore<Bytes, byte[]>, Flushable {
  private final ChangeTracker tracker;

  public TrackedSessionBytesStore(
      SegmentedSessionBytesStore inner, boolean logging, boolean caching) {
    super(inner);
    this.tracker = new ChangeTracker(inner.name(), logging, caching, false);
  }

  public SegmentedSessionBytesStore inner() {
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
  public void put(Windowed<Bytes> session, byte[] aggregate) {
    Bytes raw =
        SessionKeys.toStoreKey(session.key().get(), session.window().start(), session.window().end());
    if (inner.expiredRaw(raw)) {
      inner.putRaw(raw, aggregate);
      return;
    }
    tracker.beforeWrite(raw, inner::getRaw);
    if (inner.putRaw(raw, aggregate)) {
      tracker.afterWrite(raw, aggregate, inner::getRaw, inner::expiredRaw);
    }
  }

  @Override
  public void remove(Windowed<Bytes> session) {
    put(session, null);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> fetch(Bytes key) {
    return inner.fetch(key);
  }

  @Override
  public byte[] fetchSession(Bytes key, long sessionStartTime, long sessionEndTime) {
    return inner.fetchSession(key, sessionStartTime, sessionEndTime);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> findSessions(
      Bytes key, long earliestSessionEndTime, long latestSessionStartTime) {
    return inner.findSessions(key, earliestSessionEndTime, latestSessionStartTime);
  }

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
