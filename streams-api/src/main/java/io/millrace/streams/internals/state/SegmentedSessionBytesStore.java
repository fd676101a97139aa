package io.millrace.streams.internals.state;

import io.millrace.streams.KeyValue;
import io.millrace.streams.kstream.Window;
import io.millrace.streams.kstream.Windowed;
import io.millrace.streams.state.KeyValueIterator;
import io.millrace.streams.state.SessionStore;
import org.apache.kafka.common.utils.Bytes;

/**
 * The session store's bytes layer: entries keyed by {@link SessionKeys} in segments by session
 * end time, in memory or on disk.
 *
 * <p>Threading: one writer (the task's thread); reads from any thread.
 */
public final class SegmentedSessionBytesStore extends SegmentedBytesStore implements SessionStore<Bytes, byte[]> {

  public SegmentedSessionBytesStore(String name, long retentionMs, boolean persistent) {
    super(name, retentionMs, persistent);
  }

  @Override
  long segmentTime(byte[] rawKey) {
    return SessionKeys.end(rawKey);
  }

  @Override
  boolean validRawKey(byte[] rawKey) {
    return SessionKeys.valid(rawKey);
  }

  @Override
  public void put(Windowed<Bytes> session, byte[] aggregate) {
    putAndGetRawKey(session, aggregate);
  }

  /** Puts and returns the raw key, or null if the session is expired. */
  public Bytes putAndGetRawKey(Windowed<Bytes> session, byte[] aggregate) {
    Bytes raw =
        SessionKeys.toStoreKey(session.key().get(), session.window().start(), session.window().end());
    return putRaw(raw, aggregate) ? raw : null;
  }

  @Override
  public void remove(Windowed<Bytes> session) {
    put(session, null);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> fetch(Bytes key) {
    return findSessions(key, 0, Long.MAX_VALUE);
  }

  @Override
  public byte[] fetchSession(Bytes key, long sessionStartTime, long sessionEndTime) {
    return getRaw(SessionKeys.toStoreKey(key.get(), sessionStartTime, sessionEndTime));
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> findSessions(
      Bytes key, long earliestSessionEndTime, long latestSessionStartTime) {
    byte[] k = key.get();
    long fromEnd = Math.max(earliestSessionEndTime, segments.minLiveTime());
    return new SegmentIterator<>(
        segments.segmentsIn(fromEnd, Long.MAX_VALUE),
        SessionKeys.toStoreKey(k, 0, fromEnd),
        SessionKeys.toStoreKey(k, -1, -1),
        kv -> {
          byte[] raw = kv.key().get();
          if (!sameKey(raw, SessionKeys.SUFFIX, k)) {
            return null;
          }
          long end = SessionKeys.end(raw);
          long start = SessionKeys.start(raw);
          if (end < fromEnd || start > latestSessionStartTime) {
            return null;
          }
          return KeyValue.pair(new Windowed<>(key, new Window(start, end)), kv.value());
        });
  }

  /** Every live session (interactive queries over all keys). */
  public KeyValueIterator<Windowed<Bytes>, byte[]> all() {
    long from = segments.minLiveTime();
    return new SegmentIterator<>(
        segments.segmentsIn(from, Long.MAX_VALUE),
        null,
        null,
        kv -> {
          byte[] raw = kv.key().get();
          long end = SessionKeys.end(raw);
          if (end < from) {
            return null;
          }
          Bytes k = Bytes.wrap(SessionKeys.key(raw));
          return KeyValue.pair(new Windowed<>(k, new Window(SessionKeys.start(raw), end)), kv.value());
        });
  }
}
