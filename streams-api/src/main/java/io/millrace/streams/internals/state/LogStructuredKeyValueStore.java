package io.millrace.streams.internals.state;

import io.millrace.streams.KeyValue;
import io.millrace.streams.errors.InvalidStateStoreException;
import io.millrace.streams.state.KeyValueIterator;
import io.millrace.streams.state.KeyValueStore;
import io.millrace.streams.state.StateStore;
import io.millrace.streams.state.StateStoreContext;
import java.io.File;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;

/**
 * The persistent key-value store: an append-only data file with every key in an in-memory
 * sorted index pointing at its latest value on disk (the Bitcask design), compacted when more
 * than half the file is dead. No native code: plain {@link FileChannel} IO.
 *
 * <p>Why this design: stream state is mostly point reads and overwrites of hot keys, which an
 * append plus an index update serves in O(log n) with one positional read; ranges walk the
 * sorted index. The cost is that keys (not values) live in memory: about 64 bytes plus the key
 * per entry. Values stay on disk and in the OS page cache.
 *
 * <p>The most recently written or read values (up to {@link #VALUE_CACHE_BYTES} per store) stay
 * in memory after they reach the file, so hot keys are not read back from disk with a syscall
 * each; the oldest are dropped first.
 *
 * <p>Writes collect in memory (in the index itself, as pending slots) and reach the file on
 * {@link #flush} (every commit) or when more than {@link #MAX_PENDING_BYTES} are pending; flush
 * also fsyncs, so a checkpoint written after it never points past data on disk.
 *
 * <pre>
 * data.log: a sequence of entries, big-endian
 * +-----------+------------+--------------+-----------+-------------+
 * | crc32c    | key length | value length | key bytes | value bytes |
 * | 4 bytes   | 4 bytes    | 4 bytes      |           |             |
 * +-----------+------------+--------------+-----------+-------------+
 *   value length -1 is a deletion (no value bytes); the CRC-32C covers
 *   everything after itself. Opening the store scans the file, rebuilds
 *   the index and truncates a torn or corrupt tail at the first bad entry.
 * </pre>
 *
 * <p>Threading: one writer (the task's thread); reads from any thread.
 */
public final class LogStructuredKeyValueStore implements KeyValueStore<Bytes, byte[]> {
  static final String DATA_FILE = DataFile.NAME;
  static final int HEADER_BYTES = 12;
  /** Pending writes above this many bytes are written out before the next flush. */
  static final long MAX_PENDING_BYTES = 8L << 20;
  /** Files smaller than this are never compacted. */
  static final long MIN_COMPACT_BYTES = 4L << 20;
  /** Values kept in memory once on disk, per store. */
  static final long VALUE_CACHE_BYTES = 16L << 20;

  private final String name;
  private File dir;
  private final OrderedIndex<Slot> index = new OrderedIndex<>();
  private final LinkedHashSet<Bytes> pendingKeys = new LinkedHashSet<>();
  /** The on-disk slot each pending key replaced, so its bytes count as dead once written. */
  private final Map<Bytes, Stored> previousStored = new HashMap<>();
  private DataFile file;
  private long liveBytes;
  private long pendingBytes;
  private final ArrayDeque<Map.Entry<Bytes, Stored>> cacheOrder = new ArrayDeque<>();
  private long cachedBytes;
  private Thread owner;
  private volatile boolean open;

  /** Where a key's latest value is. */
  private sealed interface Slot permits Stored, Pending {}

  /**
   * On disk: the value's position and length, the whole entry's size, and the value itself if it
   * is in the value cache (else null).
   */
  private record Stored(long valuePosition, int valueLength, int entryBytes, byte[] cached) implements Slot {
    Stored uncached() {
      return new Stored(valuePosition, valueLength, entryBytes, null);
    }
  }

  /** Written but not yet flushed; a null value is a pending deletion. */
  private record Pending(byte[] value) implements Slot {}

  /** A top-level store; its directory is {@code <task dir>/<name>}, set in {@link #init}. */
  public LogStructuredKeyValueStore(String name) {
    this.name = name;
  }

  /** A store at an explicit directory (a segment of a window or session store). */
  LogStructuredKeyValueStore(String name, File dir) {
    this.name = name;
    this.dir = dir;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    dir = new File(context.stateDir(), name);
    open();
    context.register(root, this::restore);
  }

  /** Opens (creating or recovering) the data file and rebuilds the index from it. */
  void open() {
    file = DataFile.open(name, dir, (key, valuePosition, valueLength, entryBytes) -> {
      Slot old = valueLength < 0
          ? index.remove(key)
          : index.put(key, new Stored(valuePosition, valueLength, entryBytes, null));
      if (old instanceof Stored s) {
        liveBytes -= s.entryBytes();
      }
      if (valueLength >= 0) {
        liveBytes += entryBytes;
      }
    });
    owner = Thread.currentThread();
    open = true;
  }

  void restore(List<ConsumerRecord<byte[], byte[]>> records) {
    for (ConsumerRecord<byte[], byte[]> r : records) {
      put(Bytes.wrap(r.key()), r.value());
    }
  }

  @Override
  public void put(Bytes key, byte[] value) {
    ensureOpen();
    Slot old = index.put(key, new Pending(value));
    if (old instanceof Stored s) {
      previousStored.put(key, s);
      if (s.cached() != null) {
        cachedBytes -= s.valueLength();
      }
    } else if (old instanceof Pending p && p.value() != null) {
      pendingBytes -= p.value().length;
    }
    if (value != null) {
      pendingBytes += value.length;
    }
    pendingKeys.add(key);
    pendingBytes += key.get().length + HEADER_BYTES;
    if (pendingBytes > MAX_PENDING_BYTES) {
      writePending();
    }
  }

  @Override
  public byte[] putIfAbsent(Bytes key, byte[] value) {
    byte[] old = get(key);
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
    byte[] old = get(key);
    if (old != null) {
      put(key, null);
    }
    return old;
  }

  @Override
  public byte[] get(Bytes key) {
    ensureOpen();
    return resolve(key, index.get(key));
  }

  private byte[] resolve(Bytes key, Slot slot) {
    if (slot == null) {
      return null;
    }
    if (slot instanceof Pending p) {
      return p.value();
    }
    Stored stored = (Stored) slot;
    if (stored.cached() != null) {
      return stored.cached();
    }
    byte[] value = file.readLocked(() -> {
      Slot current = index.get(key);
      if (current == slot) {
        return read(stored);
      }
      // Moved by a flush or compaction while we looked: read where it is now (the caching
      // below then finds the slot replaced and leaves it).
      return current instanceof Pending p ? p.value()
          : current == null ? null
          : ((Stored) current).cached() != null ? ((Stored) current).cached()
          : read((Stored) current);
    });
    if (Thread.currentThread() == owner) {
      Stored withValue = new Stored(stored.valuePosition(), stored.valueLength(), stored.entryBytes(), value);
      if (index.replace(key, stored, withValue)) {
        remember(key, withValue);
      }
    }
    return value;
  }

  /** Counts a cached value and drops the oldest while over the cache's size (owner thread). */
  private void remember(Bytes key, Stored s) {
    cachedBytes += s.valueLength();
    cacheOrder.add(Map.entry(key, s));
    while (cachedBytes > VALUE_CACHE_BYTES && !cacheOrder.isEmpty()) {
      Map.Entry<Bytes, Stored> oldest = cacheOrder.poll();
      if (index.replace(oldest.getKey(), oldest.getValue(), oldest.getValue().uncached())) {
        cachedBytes -= oldest.getValue().valueLength();
      }
    }
  }

  private byte[] read(Stored s) {
    return file.read(s.valuePosition(), s.valueLength());
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
    ensureOpen();
    return new IndexIterator(index.keys(from, to).iterator(), k -> resolve(k, index.get(k)));
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> all() {
    ensureOpen();
    return new IndexIterator(index.keys().iterator(), k -> resolve(k, index.get(k)));
  }

  @Override
  public <P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, Serializer<P> serializer) {
    ensureOpen();
    Bytes p = Bytes.wrap(serializer.serialize(null, prefix));
    return new IndexIterator(index.keysWithPrefix(p).iterator(), k -> resolve(k, index.get(k)));
  }

  @Override
  public long approximateNumEntries() {
    long pendingDeletes = 0;
    for (Bytes k : pendingKeys) {
      if (index.get(k) instanceof Pending p && p.value() == null) {
        pendingDeletes++;
      }
    }
    return index.size() - pendingDeletes;
  }

  /** Writes pending entries, compacts if worthwhile, and fsyncs. */
  @Override
  public void flush() {
    if (!open) {
      return;
    }
    writePending();
    maybeCompact();
    file.force();
  }

  /** Appends every pending write to the file and points the index at it. */
  private void writePending() {
    if (pendingKeys.isEmpty()) {
      return;
    }
    DataFileWriter writer = file.appender();
    for (Bytes key : pendingKeys) {
      Slot slot = index.get(key);
      if (!(slot instanceof Pending p)) {
        continue;
      }
      long valuePosition = writer.append(key.get(), p.value());
      int entryBytes = HEADER_BYTES + key.get().length + (p.value() == null ? 0 : p.value().length);
      Slot previous = previousStored.remove(key);
      if (previous instanceof Stored s) {
        liveBytes -= s.entryBytes();
      }
      if (p.value() == null) {
        index.remove(key, slot);
      } else {
        Stored stored = new Stored(valuePosition, p.value().length, entryBytes, p.value());
        if (index.replace(key, slot, stored)) {
          remember(key, stored);
        }
        liveBytes += entryBytes;
      }
    }
    writer.finish();
    file.appended(writer);
    pendingKeys.clear();
    pendingBytes = 0;
  }

  /** Rewrites the file with only the live entries once more than half of it is dead. */
  private void maybeCompact() {
    long fileBytes = file.size();
    if (fileBytes < MIN_COMPACT_BYTES || fileBytes - liveBytes <= liveBytes) {
      return;
    }
    List<Map.Entry<Bytes, Stored>> moved = new ArrayList<>();
    liveBytes = file.compact(writer -> {
      for (Bytes k : index.keys()) {
        if (index.get(k) instanceof Stored s) {
          long pos = writer.append(k.get(), s.cached() != null ? s.cached() : read(s));
          moved.add(Map.entry(k, new Stored(pos, s.valueLength(), s.entryBytes(), s.cached())));
        }
      }
    }, () -> {
      cacheOrder.clear();
      cachedBytes = 0;
      for (Map.Entry<Bytes, Stored> m : moved) {
        index.put(m.getKey(), m.getValue());
        if (m.getValue().cached() != null) {
          cachedBytes += m.getValue().valueLength();
          cacheOrder.add(m);
        }
      }
    });
  }

  @Override
  public void close() {
    if (!open) {
      return;
    }
    flush();
    open = false;
    file.close();
    index.clear();
  }

  /** Closes and deletes the files (a dropped segment). */
  void destroy() {
    open = false;
    file.close();
    index.clear();
    pendingKeys.clear();
    previousStored.clear();
    cacheOrder.clear();
    StateDirectories.deleteRecursively(dir);
  }

  private void ensureOpen() {
    if (!open) {
      throw new InvalidStateStoreException(
          "Store " + name + " is not open");
    }
  }

  @Override
  public boolean persistent() {
    return true;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  /** Bytes in the data file, for tests and metrics. */
  long fileBytes() {
    return file.size();
  }
}
