package io.millrace.streams.internals.state;

import io.millrace.streams.internals.SerdeResolver;
import io.millrace.streams.kstream.Windowed;
import io.millrace.streams.state.KeyValueIterator;
import io.millrace.streams.state.StateStore;
import io.millrace.streams.state.StateStoreContext;
import io.millrace.streams.state.WindowStore;
import io.millrace.streams.state.WindowStoreIterator;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;

/**
 * The outer layer of a window store: objects in, bytes below.
 *
 * <p>Threading: as the store it wraps: written by the task's stream thread, readable from any
 * thread.
 */
public class TypedWindowStore<K, V> extends StoreLayer<WindowStore<Bytes, byte[]>>
    implements WindowStore<K, V>, Flushable {
  private final Serde<K> givenKeySerde;
  private final Serde<V> givenValueSerde;
  private final long windowSizeMs;
  protected Serde<K> keySerde;
  protected Serde<V> valueSerde;
  private String topic;

  public TypedWindowStore(
      WindowStore<Bytes, byte[]> inner, Serde<K> keySerde, Serde<V> valueSerde, long windowSizeMs) {
    super(inner);
    this.givenKeySerde = keySerde;
    this.givenValueSerde = valueSerde;
    this.windowSizeMs = windowSizeMs;
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    String where = "store " + name();
    keySerde = SerdeResolver.key(givenKeySerde, context.appConfigs(), where);
    valueSerde = resolveValueSerde(givenValueSerde, context, where);
    topic = context.applicationId() + "-" + name() + "-changelog";
    inner.init(context, root);
  }

  protected Serde<V> resolveValueSerde(Serde<V> given, StateStoreContext context, String where) {
    return SerdeResolver.value(given, context.appConfigs(), where);
  }

  public long windowSizeMs() {
    return windowSizeMs;
  }

  /** Installs the DSL's cache flush listener; false if the store does not cache. */
  public boolean setFlushListener(FlushListener<Windowed<K>, V> listener) {
    if (inner instanceof TrackedWindowBytesStore tracked) {
      return tracked.setFlushListener(
          (raw, n, o, ts) -> {
            byte[] r = raw.get();
            long start = WindowKeys.windowStart(r);
            K key = keySerde.deserializer().deserialize(topic, WindowKeys.key(r));
            listener.apply(
                new Windowed<>(key, new io.millrace.streams.kstream.Window(start, start + windowSizeMs)),
                value(n),
                value(o),
                ts);
          });
    }
    return false;
  }

  private Bytes keyBytes(K key) {
    Objects.requireNonNull(key, "A store key must not be null");
    return Bytes.wrap(keySerde.serializer().serialize(topic, key));
  }

  private K key(Bytes bytes) {
    return keySerde.deserializer().deserialize(topic, bytes.get());
  }

  private Windowed<K> windowedKey(Windowed<Bytes> w) {
    return new Windowed<>(key(w.key()), w.window());
  }

  protected V value(byte[] bytes) {
    return bytes == null ? null : valueSerde.deserializer().deserialize(topic, bytes);
  }

  @Override
  public void put(K key, V value, long windowStartTime) {
    inner.put(
        keyBytes(key),
        value == null ? null : valueSerde.serializer().serialize(topic, value),
        windowStartTime);
  }

  @Override
  public V fetch(K key, long windowStartTime) {
    return value(inner.fetch(keyBytes(key), windowStartTime));
  }

  @Override
  public WindowStoreIterator<V> fetch(K key, long timeFrom, long timeTo) {
    WindowStoreIterator<byte[]> it = inner.fetch(keyBytes(key), timeFrom, timeTo);
    MappedIterator<Long, byte[], Long, V> mapped = new MappedIterator<>(it, t -> t, this::value);
    return new WindowStoreIterator<>() {
      @Override
      public boolean hasNext() {
        return mapped.hasNext();
      }

      @Override
      public io.millrace.streams.KeyValue<Long, V> next() {
        return mapped.next();
      }

      @Override
      public Long peekNextKey() {
        return mapped.peekNextKey();
      }

      @Override
      public void close() {
        mapped.close();
      }
    };
  }

  @Override
  public KeyValueIterator<Windowed<K>, V> fetch(K keyFrom, K keyTo, long timeFrom, long timeTo) {
    return new MappedIterator<>(
        inner.fetch(
            keyFrom == null ? null : keyBytes(keyFrom),
            keyTo == null ? null : keyBytes(keyTo),
            timeFrom,
            timeTo),
        this::windowedKey,
        this::value);
  }

  @Override
  public KeyValueIterator<Windowed<K>, V> fetchAll(long timeFrom, long timeTo) {
    return new MappedIterator<>(inner.fetchAll(timeFrom, timeTo), this::windowedKey, this::value);
  }

  @Override
  public KeyValueIterator<Windowed<K>, V> all() {
    return new MappedIterator<>(inner.all(), this::windowedKey, this::value);
  }

  @Override
  public void flushCache() {
    if (inner instanceof Flushable f) {
      f.flushCache();
    }
  }
}
