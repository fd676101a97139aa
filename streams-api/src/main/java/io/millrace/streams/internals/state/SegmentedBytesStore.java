package io.millrace.streams.internals.state;

import io.millrace.streams.state.KeyValueStore;
import io.millrace.streams.state.StateStore;
import io.millrace.streams.state.StateStoreContext;
import java.io.File;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Bytes;

/**
 * What window and session bytes stores share: entries under raw keys in time {@link Segments}
 * (in memory or on disk under {@code <task dir>/<name>}), the segment chosen by a time the raw
 * key carries (a window's start, a session's end), restoration from the changelog, and the
 * store's lifecycle.
 *
 * <p>Threading: one writer (the task's thread); reads from any thread.
 */
abstract class SegmentedBytesStore implements StateStore, RawSegmentedStore {
  private final String name;
  private final long retentionMs;
  private final boolean persistent;
  private final long segmentIntervalMs;
  Segments segments;
  private volatile boolean open;

  SegmentedBytesStore(String name, long retentionMs, boolean persistent) {
    this.name = name;
    this.retentionMs = retentionMs;
    this.persistent = persistent;
    this.segmentIntervalMs = Segments.defaultSegmentInterval(retentionMs);
  }

  /** The time that places a raw key in a segment. */
  abstract long segmentTime(byte[] rawKey);

  /** Whether a changelog key has this store's layout (others are skipped when restoring). */
  abstract boolean validRawKey(byte[] rawKey);

  @Override
  public final String name() {
    return name;
  }

  public final long retentionMs() {
    return retentionMs;
  }

  @Override
  public final void init(StateStoreContext context, StateStore root) {
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
      if (validRawKey(r.key())) {
        putRaw(Bytes.wrap(r.key()), r.value());
      }
    }
  }

  @Override
  public final boolean putRaw(Bytes rawKey, byte[] value) {
    KeyValueStore<Bytes, byte[]> segment = segments.segmentForWrite(segmentTime(rawKey.get()));
    if (segment == null) {
      return false;
    }
    segment.put(rawKey, value);
    return true;
  }

  @Override
  public final byte[] getRaw(Bytes rawKey) {
    KeyValueStore<Bytes, byte[]> segment = segments.segmentFor(segmentTime(rawKey.get()));
    return segment == null ? null : segment.get(rawKey);
  }

  @Override
  public final boolean expiredRaw(Bytes rawKey) {
    return segments.expired(segmentTime(rawKey.get()));
  }

  /** True if {@code raw} is {@code key} followed by a suffix of {@code suffixBytes}. */
  static boolean sameKey(byte[] raw, int suffixBytes, byte[] key) {
    return raw.length - suffixBytes == key.length && Arrays.equals(raw, 0, key.length, key, 0, key.length);
  }

  @Override
  public final void flush() {
    if (open) {
      segments.flush();
    }
  }

  @Override
  public final void close() {
    if (open) {
      open = false;
      segments.close();
    }
  }

  @Override
  public final boolean persistent() {
    return persistent;
  }

  @Override
  public final boolean isOpen() {
    return open;
  }
}
