package io.millrace.streams.processor;

import java.util.Objects;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * One record flowing through a topology: key, value, event timestamp and headers.
 *
 * <p>Records are immutable; the {@code with*} methods return a copy with one field changed. The
 * headers object is shared between copies (copy it with {@code new RecordHeaders(h.toArray())}
 * before changing it if the original must stay intact).
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class Record<K, V> {
  private final K key;
  private final V value;
  private final long timestamp;
  private final Headers headers;

  /**
   * @throws IllegalArgumentException if {@code timestamp} is negative
   */
  public Record(K key, V value, long timestamp, Headers headers) {
    if (timestamp < 0) {
      throw new IllegalArgumentException(
          "A record's timestamp must not be negative, got " + timestamp);
    }
    this.key = key;
    this.value = value;
    this.timestamp = timestamp;
    this.headers = headers == null ? new RecordHeaders() : headers;
  }

  public Record(K key, V value, long timestamp) {
    this(key, value, timestamp, null);
  }

  public K key() {
    return key;
  }

  public V value() {
    return value;
  }

  public long timestamp() {
    return timestamp;
  }

  public Headers headers() {
    return headers;
  }

  public <NewK> Record<NewK, V> withKey(NewK newKey) {
    return new Record<>(newKey, value, timestamp, headers);
  }

  public <NewV> Record<K, NewV> withValue(NewV newValue) {
    return new Record<>(key, newValue, timestamp, headers);
  }

  public Record<K, V> withTimestamp(long newTimestamp) {
    return new Record<>(key, value, newTimestamp, headers);
  }

  public Record<K, V> withHeaders(Headers newHeaders) {
    return new Record<>(key, value, timestamp, newHeaders);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Record<?, ?> r
        && timestamp == r.timestamp
        && Objects.equals(key, r.key)
        && Objects.equals(value, r.value)
        && Objects.equals(headers, r.headers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, value, timestamp, headers);
  }

  @Override
  public String toString() {
    return "Record(key=" + key + ", value=" + value + ", timestamp=" + timestamp + ")";
  }
}
