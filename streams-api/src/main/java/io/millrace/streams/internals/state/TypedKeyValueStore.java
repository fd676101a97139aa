package io.millrace.streams.internals.state;

import io.millrace.streams.KeyValue;
import io.millrace.streams.internals.SerdeResolver;
import io.millrace.streams.state.KeyValueIterator;
import io.millrace.streams.state.KeyValueStore;
import io.millrace.streams.state.StateStore;
import io.millrace.streams.state.StateStoreContext;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;

/**
 * The outer layer of a key-value store: objects in, bytes below. Serdes not given are the
 * application's defaults, resolved when the store opens. Keys must not be null.
 *
 * <p>Threading: as the store it wraps: written by the task's stream thread, readable from any
 * thread.
 */
public class TypedKeyValueStore<K, V> extends StoreLayer<KeyValueStore<Bytes, byte[]>>
    implements KeyValueStore<K, V>, Flushable {
  private final Serde<K> givenKeySerde;
  private final Serde<V> givenValueSerde;
  protected Serde<K> keySerde;
  protected Serde<V> valueSerde;
  private String topic;
  private org.apache.kafka.common.serialization.Serializer<K> keySerializer;
  private org.apache.kafka.common.serialization.Deserializer<K> keyDeserializer;
  private org.apache.kafka.common.serialization.Serializer<V> valueSerializer;
  private org.apache.kafka.common.serialization.Deserializer<V> valueDeserializer;

  public TypedKeyValueStore(KeyValueStore<Bytes, byte[]> inner, Serde<K> keySerde, Serde<V> valueSerde) {
    super(inner);
    this.givenKeySerde = keySerde;
    this.givenValueSerde = valueSerde;
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    String where = "store " + name();
    keySerde = SerdeResolver.key(givenKeySerde, context.appConfigs(), where);
    valueSerde = resolveValueSerde(givenValueSerde, context, where);
    topic = context.applicationId() + "-" + name() + "-changelog";
    keySerializer = keySerde.serializer();
    keyDeserializer = keySerde.deserializer();
    valueSerializer = valueSerde.serializer();
    valueDeserializer = valueSerde.deserializer();
    inner.init(context, root);
  }

  protected Serde<V> resolveValueSerde(Serde<V> given, StateStoreContext context, String where) {
    return SerdeResolver.value(given, context.appConfigs(), where);
  }

  /** Installs the DSL's cache flush listener; false if the store does not cache. */
  public boolean setFlushListener(FlushListener<K, V> listener) {
    if (inner instanceof TrackedKeyValueBytesStore tracked) {
      return tracked.setFlushListener(
          (k, n, o, ts) -> listener.apply(key(k), value(n), value(o), ts));
    }
    return false;
  }

  /**
   * The last key serialized, when it is of an immutable type: an aggregation reads and then
   * writes the same key object, which then costs one serialization and one hash, not two.
   */
  private Object lastKey;
  private Bytes lastKeyBytes;

  protected Bytes keyBytes(K key) {
    Objects.requireNonNull(key, "A store key must not be null");
    if (key == lastKey) {
      return lastKeyBytes;
    }
    Bytes bytes = Bytes.wrap(keySerializer.serialize(topic, key));
    if (key instanceof String || key instanceof Long || key instanceof Integer || key instanceof java.util.UUID) {
      lastKey = key;
      lastKeyBytes = bytes;
    }
    return bytes;
  }

  protected K key(Bytes bytes) {
    return keyDeserializer.deserialize(topic, bytes.get());
  }

  protected byte[] valueBytes(V value) {
    return value == null ? null : valueSerializer.serialize(topic, value);
  }

  protected V value(byte[] bytes) {
    return bytes == null ? null : valueDeserializer.deserialize(topic, bytes);
  }

  @Override
  public void put(K key, V value) {
    inner.put(keyBytes(key), valueBytes(value));
  }

  @Override
  public V putIfAbsent(K key, V value) {
    return value(inner.putIfAbsent(keyBytes(key), valueBytes(value)));
  }

  @Override
  public void putAll(List<KeyValue<K, V>> entries) {
    entries.forEach(kv -> put(kv.key(), kv.value()));
  }

  @Override
  public V delete(K key) {
    return value(inner.delete(keyBytes(key)));
  }

  @Override
  public V get(K key) {
    return value(inner.get(keyBytes(key)));
  }

  @Override
  public KeyValueIterator<K, V> range(K from, K to) {
    return new MappedIterator<>(
        inner.range(from == null ? null : keyBytes(from), to == null ? null : keyBytes(to)),
        this::key,
        this::value);
  }

  @Override
  public KeyValueIterator<K, V> all() {
    return new MappedIterator<>(inner.all(), this::key, this::value);
  }

  @Override
  public <P> KeyValueIterator<K, V> prefixScan(P prefix, Serializer<P> serializer) {
    return new MappedIterator<>(inner.prefixScan(prefix, serializer), this::key, this::value);
  }

  @Override
  public long approximateNumEntries() {
    return inner.approximateNumEntries();
  }

  @Override
  public void flushCache() {
    if (inner instanceof Flushable f) {
      f.flushCache();
    }
  }
}
