package io.millrace.streams.internals.state;

import io.millrace.streams.internals.SerdeResolver;
import io.millrace.streams.state.KeyValueStore;
import io.millrace.streams.state.StateStoreContext;
import io.millrace.streams.state.TimestampedKeyValueStore;
import io.millrace.streams.state.ValueAndTimestamp;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;

/**
 * A key-value store of values with timestamps (the DSL's tables and aggregations).
 *
 * <p>Threading: as the store it wraps: written by the task's stream thread, readable from any
 * thread.
 */
public final class TypedTimestampedKeyValueStore<K, V>
    extends TypedKeyValueStore<K, ValueAndTimestamp<V>> implements TimestampedKeyValueStore<K, V> {
  private final Serde<V> plainValueSerde;

  public TypedTimestampedKeyValueStore(
      KeyValueStore<Bytes, byte[]> inner, Serde<K> keySerde, Serde<V> valueSerde) {
    super(inner, keySerde, null);
    this.plainValueSerde = valueSerde;
  }

  @Override
  protected Serde<ValueAndTimestamp<V>> resolveValueSerde(
      Serde<ValueAndTimestamp<V>> given, StateStoreContext context, String where) {
    return new ValueAndTimestampSerde<>(
        SerdeResolver.value(plainValueSerde, context.appConfigs(), where));
  }
}
