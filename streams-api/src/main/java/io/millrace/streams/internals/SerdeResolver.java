package io.millrace.streams.internals;

import io.millrace.streams.errors.StreamsException;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Utils;

/**
 * Finds the serde to use where the topology gave none: the application's {@code
 * default.key.serde} / {@code default.value.serde} (a class, a class name or an instance).
 *
 * <p>Stateless; thread-safe.
 */
public final class SerdeResolver {
  public static final String DEFAULT_KEY_SERDE = "default.key.serde";
  public static final String DEFAULT_VALUE_SERDE = "default.value.serde";

  private SerdeResolver() {}

  @SuppressWarnings("unchecked")
  public static <T> Serde<T> key(Serde<T> given, Map<String, ?> configs, String where) {
    return given != null ? given : (Serde<T>) fromConfig(DEFAULT_KEY_SERDE, true, configs, where);
  }

  @SuppressWarnings("unchecked")
  public static <T> Serde<T> value(Serde<T> given, Map<String, ?> configs, String where) {
    return given != null ? given : (Serde<T>) fromConfig(DEFAULT_VALUE_SERDE, false, configs, where);
  }

  /** The configured default, or null if none is set. */
  public static Serde<?> defaultSerde(String key, boolean isKey, Map<String, ?> configs) {
    Object v = configs.get(key);
    if (v == null || (v instanceof String s && s.isBlank())) {
      return null;
    }
    Serde<?> serde;
    try {
      if (v instanceof Serde<?> s) {
        serde = s;
      } else if (v instanceof Class<?> c) {
        serde = (Serde<?>) Utils.newInstance(c);
      } else {
        serde = Utils.newInstance(v.toString().trim(), Serde.class);
      }
    } catch (ClassNotFoundException | RuntimeException e) {
      throw new StreamsException("Cannot make the serde " + key + "=" + v + ": " + e.getMessage(), e);
    }
    serde.configure(configs, isKey);
    return serde;
  }

  private static Serde<?> fromConfig(String key, boolean isKey, Map<String, ?> configs, String where) {
    Serde<?> serde = defaultSerde(key, isKey, configs);
    if (serde == null) {
      throw new StreamsException(
          "No "
              + (isKey ? "key" : "value")
              + " serde for "
              + where
              + ": give one in the topology (Consumed, Produced, Grouped, Materialized, ...)"
              + " or set "
              + key);
    }
    return serde;
  }
}
