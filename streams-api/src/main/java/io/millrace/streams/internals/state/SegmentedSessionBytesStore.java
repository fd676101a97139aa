package io.millrace.streams.internals.state;

import io.millrace.streams.KeyValue;
import io.millrace.streams.kstream.Window;
import io.millrace.streams.kstream.Windowed;
import io.millrace.streams.state.KeyValueIterator;
import io.millrace.streams.state.KeyValueStore;
import io.millrace.streams.state.SessionStore;
import io.millrace.streams.state.StateStore;
import io.millrace.streams.state.StateStoreContext;
import java.io.File;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Bytes;

/**
 * The session store's bytes layer: entries keyed by {@link SessionKeys} in segments by session
 * end time, in memory or on disk.
 *
 * <p>Threading: one writer (the task's thread); reads from any thread.
 */
public final class SegmentedSessionBytesStore
    implements SessionStore<Bytes, byte[]>, RawSegmentedStore {
  private final String name;
  private final long retentionMs;
  private final boolean persistent;
  private final long segmentIntervalMs;
  private Segments segments;
  private volatile boolean open;

  public SegmentedSessionBytesStore(String name, long retentionMs, boolean persistent) {
    this.name = name;
    this.retentionMs = retentionMs;
    this.persistent = persistent;
    this.segmentIntervalMs = Segments.defaultSegmentInterval(retentionMs);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    if (persistent) {
      File dir = new File(context.stateDir(), name);
      segments = new Segments(retentionMs, segmentIntervalMs, SegmentFactories.onDisk(name, dir));
      SegmentFactories.openExisting(name, dir, segments, segmentIntervalMs);
    } else {
      segments = new Segments(retentionMs, segmentIntervalMs, SegmentFactories.inMemory(name));
    }
    open = true;
    context.register(root, this::restore);
  }

  private void restore(List<ConsumerRecord<byte[], byte[]>> records) {
    for (ConsumerRecord<byte[], byte[]> r : records) {
      if (SessionKeys.valid(r.key())) {
        putRaw(Bytes.wrap(r.key()), r.value());
      }
    }
  }

  public long retentionMs() {
    return retentionMs;
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
  public boolean putRaw(Bytes rawKey, byte[] value) {
    KeyValueStore<Bytes, byte[]> segment = segments.segmentForWrite(SessionKeys.end(rawKey.get()));
    if (segment == null) {
      return false;
    }
    segment.put(rawKey, value);
    return true;
  }

  @Override
  public byte[] getRaw(Bytes rawKey) {
    KeyValueStore<Bytes, byte[]> segment = segments.segmentFor(SessionKeys.end(rawKey.get()));
    return segment == null ? null : segment.get(rawKey);
  }

  @Override
  public boolean expiredRaw(Bytes rawKey) {
    return segments.expired(SessionKeys.end(rawKey.get()));
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
          if (raw.length - SessionKeys.SUFFIX != k.length
              || !java.util.Arrays.equals(raw, 0, k.length, k, 0, k.length)) {
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

  @Override
  public void flush() {
    if (open) {
      segments.flush();
    }
  }

  @Override
  public void close() {
    if (open) {
      open = false;
      segments.close();
    }
  }

  @Override
  public boolean persistent() {
    return persistent;
  }

  @Override
  public boolean isOpen() {
    return open;
  }
}
