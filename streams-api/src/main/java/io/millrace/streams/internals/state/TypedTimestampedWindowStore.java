package io.millrace.streams.internals.state;

import io.millrace.streams.internals.SerdeResolver;
import io.millrace.streams.state.StateStoreContext;
import io.millrace.streams.state.TimestampedWindowStore;
import io.millrace.streams.state.ValueAndTimestamp;
import io.millrace.streams.state.WindowStore;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;

/**
 * A window store of values with timestamps (the DSL's windowed aggregations).
 *
 * <p>Threading: as the store it wraps: written by the task's stream thread, readable from any
 * thread.
 */
public final class TypedTimestampedWindowStore<K, V>
    extends TypedWindowStore<K, ValueAndTimestamp<V>> implements TimestampedWindowStore<K, V> {
  private final Serde<V> plainValueSerde;

  public TypedTimestampedWindowStore(
      WindowStore<Bytes, byte[]> inner, Serde<K> keySerde, Serde<V> valueSerde, long windowSizeMs) {
    super(inner, keySerde, null, windowSizeMs);
    this.plainValueSerde = valueSerde;
  }

  @Override
  protected Serde<ValueAndTimestamp<V>> resolveValueSerde(
      Serde<ValueAndTimestamp<V>> given, StateStoreContext context, String where) {
    return new ValueAndTimestampSerde<>(
        SerdeResolver.value(plainValueSerde, context.appConfigs(), where));
  }
}
