package io.millrace.streams.internals.kstream;

import io.millrace.streams.internals.DefaultSerdeAware;
import io.millrace.streams.internals.SerdeResolver;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A {@link Change} in a repartition topic (a table's groupBy):
 *
 * <pre>
 * +-----------------+-----------+-----------------+-----------+
 * | new length i32  | new bytes | old length i32  | old bytes |
 * +-----------------+-----------+-----------------+-----------+
 *   a length of -1 means null (no bytes follow)
 * </pre>
 *
 * <p>Threading: configured once, before the first use on a stream thread; afterwards as thread-safe
 * as the serdes it wraps.
 */
public final class ChangeSerde<V> implements Serde<Change<V>>, DefaultSerdeAware {
  private volatile Serde<V> inner;

  public ChangeSerde(Serde<V> inner) {
    this.inner = inner;
  }

  @Override
  public void useDefaults(Map<String, ?> configs) {
    if (inner == null) {
      inner = SerdeResolver.value(null, configs, "the repartition topic of a table groupBy");
    }
  }

  @Override
  public Serializer<Change<V>> serializer() {
    return new ChangeSerializer();
  }

  private final class ChangeSerializer implements Serializer<Change<V>>, DefaultSerdeAware {
    @Override
    public void useDefaults(Map<String, ?> configs) {
      ChangeSerde.this.useDefaults(configs);
    }

    @Override
    public byte[] serialize(String topic, Change<V> change) {
      if (change == null) {
        return null;
      }
      byte[] n = change.newValue() == null ? null : inner.serializer().serialize(topic, change.newValue());
      byte[] o = change.oldValue() == null ? null : inner.serializer().serialize(topic, change.oldValue());
      ByteBuffer b = ByteBuffer.allocate(8 + (n == null ? 0 : n.length) + (o == null ? 0 : o.length));
      put(b, n);
      put(b, o);
      return b.array();
    }
  }

  private static void put(ByteBuffer b, byte[] v) {
    if (v == null) {
      b.putInt(-1);
    } else {
      b.putInt(v.length).put(v);
    }
  }

  @Override
  public Deserializer<Change<V>> deserializer() {
    return new ChangeDeserializer();
  }

  private final class ChangeDeserializer implements Deserializer<Change<V>>, DefaultSerdeAware {
    @Override
    public void useDefaults(Map<String, ?> configs) {
      ChangeSerde.this.useDefaults(configs);
    }

    @Override
    public Change<V> deserialize(String topic, byte[] bytes) {
      if (bytes == null) {
        return null;
      }
      ByteBuffer b = ByteBuffer.wrap(bytes);
      V n = read(topic, b);
      V o = read(topic, b);
      return new Change<>(n, o);
    }
  }

  private V read(String topic, ByteBuffer b) {
    if (b.remaining() < 4) {
      throw new IllegalArgumentException("Truncated table change: " + b.remaining() + " bytes left");
    }
    int len = b.getInt();
    if (len < 0) {
      return null;
    }
    if (len > b.remaining()) {
      throw new IllegalArgumentException("Table change value of " + len + " bytes exceeds the record");
    }
    byte[] v = new byte[len];
    b.get(v);
    return inner.deserializer().deserialize(topic, v);
  }
}
