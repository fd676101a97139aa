package io.millrace.streams.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON (UTF-8) to and from a class, through Jackson. Records and POJOs with a no-argument
 * constructor or Jackson annotations work; unknown properties are ignored, so producers may add
 * fields. Bad JSON fails with a {@link SerializationException} naming the target class (the
 * deserialization exception handler decides what happens then).
 *
 * <pre>{@code
 * Serde<Order> orders = JsonSerde.of(Order.class);
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class JsonSerde<T> implements Serde<T> {
  private static final ObjectMapper DEFAULT_MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private final Class<T> type;
  private final ObjectMapper mapper;

  private JsonSerde(Class<T> type, ObjectMapper mapper) {
    this.type = Objects.requireNonNull(type, "type");
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  public static <T> JsonSerde<T> of(Class<T> type) {
    return new JsonSerde<>(type, DEFAULT_MAPPER);
  }

  /** With your own configured mapper (modules, naming strategies, ...). */
  public static <T> JsonSerde<T> of(Class<T> type, ObjectMapper mapper) {
    return new JsonSerde<>(type, mapper);
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> {
      if (value == null) {
        return null;
      }
      try {
        return mapper.writeValueAsBytes(value);
      } catch (JsonProcessingException e) {
        throw new SerializationException("Cannot write " + type.getName() + " as JSON: " + e.getOriginalMessage(), e);
      }
    };
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        return mapper.readValue(bytes, type);
      } catch (IOException e) {
        throw new SerializationException("Cannot read JSON as " + type.getName() + " from topic "
            + topic + ": " + e.getMessage(), e);
      }
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JsonSerde<?> j && j.type.equals(type) && j.mapper == mapper;
  }

  @Override
  public int hashCode() {
    return type.hashCode();
  }
}
