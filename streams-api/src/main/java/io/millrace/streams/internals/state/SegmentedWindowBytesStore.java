package io.millrace.streams.internals.state;

import io.millrace.streams.KeyValue;
import io.millrace.streams.kstream.Window;
import io.millrace.streams.kstream.Windowed;
import io.millrace.streams.state.KeyValueIterator;
import io.millrace.streams.state.WindowStore;
import io.millrace.streams.state.WindowStoreIterator;
import org.apache.kafka.common.utils.Bytes;

/**
 * The window store's bytes layer: entries keyed by {@link WindowKeys} in time {@link Segments},
 * in memory or on disk. With {@code retainDuplicates} every put is kept under a new seqnum
 * (the stream-stream join's buffers); otherwise a put replaces the window's value.
 *
 * <p>Threading: one writer (the task's thread); reads from any thread.
 */
public final class SegmentedWindowBytesStore extends SegmentedBytesStore implements WindowStore<Bytes, byte[]> {
  private final long windowSizeMs;
  private final boolean retainDuplicates;
  private int seqnum;

  public SegmentedWindowBytesStore(
      String name, long retentionMs, long windowSizeMs, boolean retainDuplicates, boolean persistent) {
    super(name, retentionMs, persistent);
    this.windowSizeMs = windowSizeMs;
    this.retainDuplicates = retainDuplicates;
  }

  @Override
  long segmentTime(byte[] rawKey) {
    return WindowKeys.windowStart(rawKey);
  }

  @Override
  boolean validRawKey(byte[] rawKey) {
    return WindowKeys.valid(rawKey);
  }

  public long windowSizeMs() {
    return windowSizeMs;
  }

  public boolean retainDuplicates() {
    return retainDuplicates;
  }

  @Override
  public void put(Bytes key, byte[] value, long windowStartTime) {
    putAndGetRawKey(key, value, windowStartTime);
  }

  /** Puts and returns the raw key used, or null if the window is expired (or a null duplicate). */
  public Bytes putAndGetRawKey(Bytes key, byte[] value, long windowStartTime) {
    if (retainDuplicates && value == null) {
      return null;
    }
    int seq = retainDuplicates ? (seqnum = (seqnum + 1) & 0x7FFFFFFF) : 0;
    Bytes raw = WindowKeys.toStoreKey(key.get(), windowStartTime, seq);
    return putRaw(raw, value) ? raw : null;
  }

  @Override
  public byte[] fetch(Bytes key, long windowStartTime) {
    return getRaw(WindowKeys.toStoreKey(key.get(), windowStartTime, 0));
  }

  @Override
  public WindowStoreIterator<byte[]> fetch(Bytes key, long timeFrom, long timeTo) {
    byte[] k = key.get();
    long from = Math.max(timeFrom, segments.minLiveTime());
    SegmentIterator<Long, byte[]> it =
        new SegmentIterator<>(
            segments.segmentsIn(from, timeTo),
            WindowKeys.lower(k, from),
            WindowKeys.upper(k, timeTo),
            kv -> {
              byte[] raw = kv.key().get();
              long start = WindowKeys.windowStart(raw);
              if (!sameKey(raw, k) || start < from || start > timeTo) {
                return null;
              }
              return KeyValue.pair(start, kv.value());
            });
    return new WindowIteratorAdapter(it);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> fetch(
      Bytes keyFrom, Bytes keyTo, long timeFrom, long timeTo) {
    long from = Math.max(timeFrom, segments.minLiveTime());
    Bytes lower = keyFrom == null ? null : WindowKeys.lower(keyFrom.get(), 0);
    Bytes upper = keyTo == null ? null : WindowKeys.upper(keyTo.get(), Long.MAX_VALUE);
    return new SegmentIterator<>(
        segments.segmentsIn(from, timeTo),
        lower,
        upper,
        kv -> {
          byte[] raw = kv.key().get();
          long start = WindowKeys.windowStart(raw);
          Bytes k = Bytes.wrap(WindowKeys.key(raw));
          if (start < from
              || start > timeTo
              || (keyFrom != null && k.compareTo(keyFrom) < 0)
              || (keyTo != null && k.compareTo(keyTo) > 0)) {
            return null;
          }
          return KeyValue.pair(windowed(k, start), kv.value());
        });
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> fetchAll(long timeFrom, long timeTo) {
    return fetch(null, null, timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> all() {
    return fetch(null, null, 0, Long.MAX_VALUE);
  }

  /** Every live entry by raw key (restoration tests, suppression scans). */
  public KeyValueIterator<Bytes, byte[]> allRaw() {
    long from = segments.minLiveTime();
    return new SegmentIterator<>(
        segments.segmentsIn(from, Long.MAX_VALUE),
        null,
        null,
        kv -> WindowKeys.windowStart(kv.key().get()) < from ? null : kv);
  }

  private Windowed<Bytes> windowed(Bytes key, long start) {
    long end = windowSizeMs > Long.MAX_VALUE - start ? Long.MAX_VALUE : start + windowSizeMs;
    return new Windowed<>(key, new Window(start, end));
  }

  static boolean sameKey(byte[] raw, byte[] key) {
    return sameKey(raw, WindowKeys.SUFFIX, key);
  }

  /** Adapts a (start time, value) iterator to the {@link WindowStoreIterator} type. */
  private record WindowIteratorAdapter(KeyValueIterator<Long, byte[]> inner)
      implements WindowStoreIterator<byte[]> {
    @Override
    public boolean hasNext() {
      return inner.hasNext();
    }

    @Override
    public KeyValue<Long, byte[]> next() {
      return inner.next();
    }

    @Override
    public Long peekNextKey() {
      return inner.peekNextKey();
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
