package io.millrace.streams.internals.state;

import io.millrace.streams.state.StateRestoreCallback;
import io.millrace.streams.state.StateStore;
import io.millrace.streams.state.StateStoreContext;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Bytes;

/**
 * The change logging and record cache of one store, over raw keys.
 *
 * <p>Why the cache is a dirty-key set rather than a second copy of the data: writes go through
 * to the store at once, so reads and range scans never merge two sources; what the cache holds
 * back is the expensive part, the changelog record and the downstream update. At each flush
 * every key written since the last one produces one changelog record and one {@link
 * FlushListener} call with its value now and at the previous flush, which is what Kafka Streams'
 * cache makes observable.
 *
 * <p>Timestamped stores keep {@code [timestamp int64][value]}; their changelog records carry the
 * plain value with the timestamp as the record timestamp (as Kafka Streams logs them), and
 * restoration puts the prefix back.
 *
 * <p>Threading: the task's thread only.
 */
final class ChangeTracker {
  private static final int ENTRY_OVERHEAD = 64;

  private final String storeName;
  private final boolean logging;
  private final boolean caching;
  private final boolean timestamped;
  private final LinkedHashMap<Bytes, Dirty> dirty = new LinkedHashMap<>();
  private InternalStoreContext context;
  private CacheBudget budget;
  private long dirtyBytes;
  private FlushListener<Bytes, byte[]> listener;

  /** A key written since the last flush: its value then, and the time of its last write. */
  private static final class Dirty {
    final byte[] oldValue;
    long timestamp;

    Dirty(byte[] oldValue, long timestamp) {
      this.oldValue = oldValue;
      this.timestamp = timestamp;
    }
  }

  ChangeTracker(String storeName, boolean logging, boolean caching, boolean timestamped) {
    this.storeName = storeName;
    this.logging = logging;
    this.caching = caching;
    this.timestamped = timestamped;
  }

  /**
   * Wraps the store context handed to the inner store: records it and makes restoration of a
   * timestamped store re-add the timestamp prefix.
   */
  StateStoreContext wrap(StateStoreContext outer) {
    if (outer instanceof InternalStoreContext internal) {
      this.context = internal;
      this.budget = internal.cacheBudget();
    }
    if (!timestamped) {
      return outer;
    }
    return new DelegatingStoreContext(outer) {
      @Override
      public void register(StateStore store, StateRestoreCallback callback) {
        outer.register(store, records -> callback.restoreBatch(withTimestamps(records)));
      }
    };
  }

  private static List<ConsumerRecord<byte[], byte[]>> withTimestamps(
      List<ConsumerRecord<byte[], byte[]>> records) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>(records.size());
    for (ConsumerRecord<byte[], byte[]> r : records) {
      byte[] v = r.value() == null ? null : TimestampedBytes.make(r.value(), r.timestamp());
      out.add(
          new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.key(), v));
    }
    return out;
  }

  /** True when writes are held back until a flush. */
  boolean cachingActive() {
    return caching && budget != null && budget.enabled();
  }

  /** Installs the DSL's listener; false if this store does not cache (the caller forwards). */
  boolean setFlushListener(FlushListener<Bytes, byte[]> l) {
    if (!cachingActive()) {
      return false;
    }
    this.listener = l;
    return true;
  }

  /** Call before writing {@code rawKey}; {@code current} reads its value now. */
  void beforeWrite(Bytes rawKey, Function<Bytes, byte[]> current) {
    if (!cachingActive()) {
      return;
    }
    long ts = context == null ? -1 : context.recordTimestamp();
    Dirty d = dirty.get(rawKey);
    if (d != null) {
      d.timestamp = ts;
      return;
    }
    byte[] old = current.apply(rawKey);
    dirty.put(rawKey, new Dirty(old, ts));
    long bytes = rawKey.get().length + (old == null ? 0 : old.length) + ENTRY_OVERHEAD;
    dirtyBytes += bytes;
    budget.add(bytes);
  }

  /**
   * Call after writing; logs at once without caching, else flushes when over the budget.
   *
   * @return true if a flush happened
   */
  boolean afterWrite(
      Bytes rawKey, byte[] value, Function<Bytes, byte[]> reader, Predicate<Bytes> expired) {
    if (cachingActive()) {
      if (budget.exceeded()) {
        flush(reader, expired);
        return true;
      }
      return false;
    }
    if (logging && context != null) {
      log(rawKey, value, context.recordTimestamp());
    }
    return false;
  }

  /** Logs and forwards every dirty key once, with its value now. */
  void flush(Function<Bytes, byte[]> reader, Predicate<Bytes> expired) {
    if (dirty.isEmpty()) {
      return;
    }
    List<Map.Entry<Bytes, Dirty>> entries = new ArrayList<>(dirty.entrySet());
    dirty.clear();
    budget.release(dirtyBytes);
    dirtyBytes = 0;
    for (Map.Entry<Bytes, Dirty> e : entries) {
      Bytes key = e.getKey();
      byte[] now = reader.apply(key);
      byte[] old = e.getValue().oldValue;
      if (now == null && (old == null || expired.test(key))) {
        continue;
      }
      long ts = timestamped && now != null ? TimestampedBytes.timestamp(now) : e.getValue().timestamp;
      if (logging) {
        log(key, now, ts);
      }
      if (listener != null) {
        listener.apply(key, now, old, ts);
      }
    }
  }

  private void log(Bytes rawKey, byte[] value, long fallbackTimestamp) {
    if (timestamped && value != null) {
      context.logChange(
          storeName, rawKey, TimestampedBytes.rawValue(value), TimestampedBytes.timestamp(value));
    } else {
      context.logChange(storeName, rawKey, value, Math.max(0, fallbackTimestamp));
    }
  }

  /** Helpers for {@code [timestamp int64][value]}. */
  static final class TimestampedBytes {
    private TimestampedBytes() {}

    static byte[] make(byte[] raw, long timestamp) {
      return ByteBuffer.allocate(8 + raw.length).putLong(timestamp).put(raw).array();
    }

    static long timestamp(byte[] v) {
      return ByteBuffer.wrap(v).getLong(0);
    }

    static byte[] rawValue(byte[] v) {
      byte[] raw = new byte[v.length - 8];
      System.arraycopy(v, 8, raw, 0, raw.length);
      return raw;
    }
  }
}
