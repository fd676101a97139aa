package io.millrace.streams.internals.state;

import io.millrace.streams.state.ValueAndTimestamp;
import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * {@code [timestamp int64][value bytes]}, the layout of timestamped stores' values.
 *
 * <p>Thread-safe if the value serde is.
 */
public final class ValueAndTimestampSerde<V> implements Serde<ValueAndTimestamp<V>> {
  private final Serde<V> valueSerde;

  public ValueAndTimestampSerde(Serde<V> valueSerde) {
    this.valueSerde = valueSerde;
  }

  private final Serializer<ValueAndTimestamp<V>> serializer = this::serialize;
  private final Deserializer<ValueAndTimestamp<V>> deserializer = this::deserialize;

  @Override
  public Serializer<ValueAndTimestamp<V>> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<ValueAndTimestamp<V>> deserializer() {
    return deserializer;
  }

  private byte[] serialize(String topic, ValueAndTimestamp<V> vt) {
    {
      if (vt == null) {
        return null;
      }
      byte[] raw = valueSerde.serializer().serialize(topic, vt.value());
      if (raw == null) {
        return null;
      }
      return ByteBuffer.allocate(8 + raw.length).putLong(vt.timestamp()).put(raw).array();
    }
  }

  private ValueAndTimestamp<V> deserialize(String topic, byte[] bytes) {
    {
      if (bytes == null) {
        return null;
      }
      long ts = ByteBuffer.wrap(bytes).getLong(0);
      byte[] raw = new byte[bytes.length - 8];
      System.arraycopy(bytes, 8, raw, 0, raw.length);
      return ValueAndTimestamp.make(valueSerde.deserializer().deserialize(topic, raw), ts);
    }
  }
}
