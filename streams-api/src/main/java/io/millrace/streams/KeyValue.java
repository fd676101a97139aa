package io.millrace.streams;

/**
 * A key and a value, as a stream carries them. Either may be {@code null}.
 *
 * <p>Immutable; thread-safe.
 *
 * @param key the key
 * @param value the value
 * @param <K> key type
 * @param <V> value type
 */
public record KeyValue<K, V>(K key, V value) {

  /** Shorthand for {@code new KeyValue<>(key, value)}. */
  public static <K, V> KeyValue<K, V> pair(K key, V value) {
    return new KeyValue<>(key, value);
  }

  @Override
  public String toString() {
    return "KeyValue(" + key + ", " + value + ")";
  }
}
