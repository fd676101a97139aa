package io.millrace.streams.testing;

import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record piped into or read from a {@link TopologyTestDriver}: key, value, headers and record
 * time (null on input means "the input topic's current time").
 *
 * <p>Immutable; thread-safe.
 */
public final class TestRecord<K, V> {
  private final K key;
  private final V value;
  private final Headers headers;
  private final Instant recordTime;

  public TestRecord(K key, V value, Headers headers, Instant recordTime) {
    this.key = key;
    this.value = value;
    this.headers = headers == null ? new RecordHeaders() : headers;
    this.recordTime = recordTime;
  }

  public TestRecord(K key, V value, Headers headers, long timestampMs) {
    this(key, value, headers, Instant.ofEpochMilli(timestampMs));
  }

  public TestRecord(K key, V value, Instant recordTime) {
    this(key, value, null, recordTime);
  }

  public TestRecord(K key, V value) {
    this(key, value, null, (Instant) null);
  }

  public TestRecord(V value) {
    this(null, value);
  }

  public K key() {
    return key;
  }

  public V value() {
    return value;
  }

  public Headers headers() {
    return headers;
  }

  /** The record time, or null if not set. */
  public Instant getRecordTime() {
    return recordTime;
  }

  /** The record time in ms, or null if not set. */
  public Long timestamp() {
    return recordTime == null ? null : recordTime.toEpochMilli();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TestRecord<?, ?> r
        && Objects.equals(key, r.key)
        && Objects.equals(value, r.value)
        && Objects.equals(headers, r.headers)
        && Objects.equals(recordTime, r.recordTime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, value, headers, recordTime);
  }

  @Override
  public String toString() {
    return "TestRecord[key=" + key + ", value=" + value + ", recordTime=" + recordTime + "]";
  }
}
