package io.millrace.streams.serde;

import io.millrace.streams.kstream.Window;
import io.millrace.streams.kstream.Windowed;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serdes for the keys of windowed results, in Kafka Streams' byte layouts so that its
 * deserializers (and tools) read them:
 *
 * <pre>
 * time windowed:    [key bytes][window start int64]                   (end = start + size)
 * session windowed: [key bytes][session end int64][session start int64]
 * </pre>
 *
 * <p>Stateless; thread-safe.
 */
public final class WindowedSerdes {
  private WindowedSerdes() {}

  /** Time-windowed keys; the window size restores the end, which the bytes do not carry. */
  public static <K> Serde<Windowed<K>> timeWindowed(Serde<K> inner, long windowSizeMs) {
    Objects.requireNonNull(inner, "inner serde");
    if (windowSizeMs < 0) {
      throw new IllegalArgumentException("window size must not be negative: " + windowSizeMs);
    }
    Serializer<Windowed<K>> ser = (topic, w) -> {
      if (w == null) {
        return null;
      }
      byte[] k = inner.serializer().serialize(topic, w.key());
      return ByteBuffer.allocate(k.length + 8).put(k).putLong(w.window().start()).array();
    };
    Deserializer<Windowed<K>> de = (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      if (bytes.length < 8) {
        throw new SerializationException("A time-windowed key needs at least 8 bytes, got " + bytes.length);
      }
      byte[] k = new byte[bytes.length - 8];
      ByteBuffer b = ByteBuffer.wrap(bytes);
      b.get(k);
      long start = b.getLong();
      long end = windowSizeMs > Long.MAX_VALUE - start ? Long.MAX_VALUE : start + windowSizeMs;
      return new Windowed<>(inner.deserializer().deserialize(topic, k), new Window(start, end));
    };
    return Serdes.serdeFrom(ser, de);
  }

  /** Time-windowed keys of a primitive type Kafka's Serdes know (String, Long, ...). */
  public static <K> Serde<Windowed<K>> timeWindowedSerdeFrom(Class<K> type, long windowSizeMs) {
    return timeWindowed(Serdes.serdeFrom(type), windowSizeMs);
  }

  public static <K> Serde<Windowed<K>> sessionWindowed(Serde<K> inner) {
    Objects.requireNonNull(inner, "inner serde");
    Serializer<Windowed<K>> ser = (topic, w) -> {
      if (w == null) {
        return null;
      }
      byte[] k = inner.serializer().serialize(topic, w.key());
      return ByteBuffer.allocate(k.length + 16).put(k).putLong(w.window().end()).putLong(w.window().start()).array();
    };
    Deserializer<Windowed<K>> de = (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      if (bytes.length < 16) {
        throw new SerializationException("A session-windowed key needs at least 16 bytes, got " + bytes.length);
      }
      byte[] k = new byte[bytes.length - 16];
      ByteBuffer b = ByteBuffer.wrap(bytes);
      b.get(k);
      long end = b.getLong();
      long start = b.getLong();
      return new Windowed<>(inner.deserializer().deserialize(topic, k), new Window(start, end));
    };
    return Serdes.serdeFrom(ser, de);
  }

  public static <K> Serde<Windowed<K>> sessionWindowedSerdeFrom(Class<K> type) {
    return sessionWindowed(Serdes.serdeFrom(type));
  }
}
