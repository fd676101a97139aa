package io.millrace.streams.internals.state;

import io.millrace.streams.internals.SerdeResolver;
import io.millrace.streams.kstream.Window;
import io.millrace.streams.kstream.Windowed;
import io.millrace.streams.state.KeyValueIterator;
import io.millrace.streams.state.SessionStore;
import io.millrace.streams.state.StateStore;
import io.millrace.streams.state.StateStoreContext;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;

/**
 * The outer layer of a session store: objects in, bytes below.
 *
 * <p>Threading: as the store it wraps: written by the task's stream thread, readable from any
 * thread.
 */
public final class TypedSessionStore<K, V> extends StoreLayer<TrackedSessionBytesStore>
    implements SessionStore<K, V>, Flushable {
  private final Serde<K> givenKeySerde;
  private final Serde<V> givenValueSerde;
  private Serde<K> keySerde;
  private Serde<V> valueSerde;
  private String topic;

  public TypedSessionStore(TrackedSessionBytesStore inner, Serde<K> keySerde, Serde<V> valueSerde) {
    super(inner);
    this.givenKeySerde = keySerde;
    this.givenValueSerde = valueSerde;
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    String where = "store " + name();
    keySerde = SerdeResolver.key(givenKeySerde, context.appConfigs(), where);
    valueSerde = SerdeResolver.value(givenValueSerde, context.appConfigs(), where);
    topic = context.applicationId() + "-" + name() + "-changelog";
    inner.init(context, root);
  }

  /** Installs the DSL's cache flush listener; false if the store does not cache. */
  public boolean setFlushListener(FlushListener<Windowed<K>, V> listener) {
    return inner.setFlushListener(
        (raw, n, o, ts) -> {
          byte[] r = raw.get();
          K key = keySerde.deserializer().deserialize(topic, SessionKeys.key(r));
          Windowed<K> w = new Windowed<>(key, new Window(SessionKeys.start(r), SessionKeys.end(r)));
          listener.apply(w, value(n), value(o), ts);
        });
  }

  private Bytes keyBytes(K key) {
    Objects.requireNonNull(key, "A store key must not be null");
    return Bytes.wrap(keySerde.serializer().serialize(topic, key));
  }

  private Windowed<K> windowedKey(Windowed<Bytes> w) {
    return new Windowed<>(keySerde.deserializer().deserialize(topic, w.key().get()), w.window());
  }

  private V value(byte[] bytes) {
    return bytes == null ? null : valueSerde.deserializer().deserialize(topic, bytes);
  }

  @Override
  public void put(Windowed<K> session, V aggregate) {
    inner.put(
        new Windowed<>(keyBytes(session.key()), session.window()),
        aggregate == null ? null : valueSerde.serializer().serialize(topic, aggregate));
  }

  @Override
  public void remove(Windowed<K> session) {
    put(session, null);
  }

  @Override
  public KeyValueIterator<Windowed<K>, V> fetch(K key) {
    return new MappedIterator<>(inner.fetch(keyBytes(key)), this::windowedKey, this::value);
  }

  @Override
  public V fetchSession(K key, long sessionStartTime, long sessionEndTime) {
    return value(inner.fetchSession(keyBytes(key), sessionStartTime, sessionEndTime));
  }

  @Override
  public KeyValueIterator<Windowed<K>, V> findSessions(
      K key, long earliestSessionEndTime, long latestSessionStartTime) {
    return new MappedIterator<>(
        inner.findSessions(keyBytes(key), earliestSessionEndTime, latestSessionStartTime),
        this::windowedKey,
        this::value);
  }

  /** Every live session. */
  public KeyValueIterator<Windowed<K>, V> all() {
    return new MappedIterator<>(inner.all(), this::windowedKey, this::value);
  }

  @Override
  public void flushCache() {
    inner.flushCache();
  }
}
