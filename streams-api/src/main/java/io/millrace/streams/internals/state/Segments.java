package io.millrace.streams.internals.state;

import io.millrace.streams.state.KeyValueStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.kafka.common.utils.Bytes;

/**
 * Time segments of a window or session store: each segment is a key-value store holding the
 * entries whose time falls in one interval. Retention drops whole segments, which is why a
 * windowed store is split by time at all.
 *
 * <p>Stream time here is the largest entry time put so far. An entry older than {@code
 * streamTime - retention} is expired: not stored, not returned.
 */
final class Segments {
  /** Opens and destroys segment stores: in memory or on disk. */
  interface Factory {
    KeyValueStore<Bytes, byte[]> open(long segmentId, long segmentStartMs);

    void destroy(KeyValueStore<Bytes, byte[]> segment);
  }

  private final long retentionMs;
  private final long segmentIntervalMs;
  private final Factory factory;
  private final NavigableMap<Long, KeyValueStore<Bytes, byte[]>> segments =
      new ConcurrentSkipListMap<>();
  private volatile long observedStreamTime = -1;

  Segments(long retentionMs, long segmentIntervalMs, Factory factory) {
    if (retentionMs < 0 || segmentIntervalMs <= 0) {
      throw new IllegalArgumentException(
          "retention " + retentionMs + " ms / segment interval " + segmentIntervalMs + " ms");
    }
    this.retentionMs = retentionMs;
    this.segmentIntervalMs = segmentIntervalMs;
    this.factory = factory;
  }

  /** Kafka's rule: half the retention, but at least a minute. */
  static long defaultSegmentInterval(long retentionMs) {
    return Math.max(retentionMs / 2, 60_000L);
  }

  long segmentId(long timeMs) {
    return timeMs / segmentIntervalMs;
  }

  /** Adds an existing segment found on disk when the store opens. */
  void addExisting(long segmentId, KeyValueStore<Bytes, byte[]> segment) {
    segments.put(segmentId, segment);
  }

  /** The earliest time still retained. */
  long minLiveTime() {
    return observedStreamTime < 0 ? 0 : Math.max(0, observedStreamTime - retentionMs + 1);
  }

  long observedStreamTime() {
    return observedStreamTime;
  }

  boolean expired(long timeMs) {
    return timeMs < minLiveTime();
  }

  /**
   * The segment to write an entry of this time into, created if needed, after advancing stream
   * time and dropping expired segments; null if the entry is already expired.
   */
  KeyValueStore<Bytes, byte[]> segmentForWrite(long timeMs) {
    if (timeMs > observedStreamTime) {
      observedStreamTime = timeMs;
    }
    long minLive = minLiveTime();
    dropSegmentsBefore(segmentId(minLive));
    if (timeMs < minLive) {
      return null;
    }
    long id = segmentId(timeMs);
    KeyValueStore<Bytes, byte[]> segment = segments.get(id);
    if (segment == null) {
      segment = factory.open(id, id * segmentIntervalMs);
      segments.put(id, segment);
    }
    return segment;
  }

  /** The segment holding this time, or null. */
  KeyValueStore<Bytes, byte[]> segmentFor(long timeMs) {
    return expired(timeMs) ? null : segments.get(segmentId(timeMs));
  }

  /** Live segments overlapping {@code [fromMs, toMs]}, in time order. */
  List<KeyValueStore<Bytes, byte[]>> segmentsIn(long fromMs, long toMs) {
    long from = segmentId(Math.max(fromMs, minLiveTime()));
    long to = segmentId(Math.max(0, toMs));
    if (from > to) {
      return List.of();
    }
    return new ArrayList<>(segments.subMap(from, true, to, true).values());
  }

  Collection<KeyValueStore<Bytes, byte[]>> all() {
    return segments.values();
  }

  private void dropSegmentsBefore(long minSegmentId) {
    while (!segments.isEmpty() && segments.firstKey() < minSegmentId) {
      KeyValueStore<Bytes, byte[]> dropped = segments.pollFirstEntry().getValue();
      factory.destroy(dropped);
    }
  }

  void flush() {
    segments.values().forEach(KeyValueStore::flush);
  }

  void close() {
    segments.values().forEach(KeyValueStore::close);
    segments.clear();
  }
}
