package io.millrace.streams.testing;

import io.millrace.streams.KeyValue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Pipes records into a topic of a {@link TopologyTestDriver}; each is processed completely
 * (including repartitions and cache flushes) before the call returns.
 *
 * <p>Records without a time get the topic's current time, which then advances by the
 * auto-advance step given at creation (zero by default).
 *
 * <p>Not thread-safe: use it on the thread that drives the {@link TopologyTestDriver}.
 */
public final class TestInputTopic<K, V> {
  private final TopologyTestDriver driver;
  private final String topic;
  private final Serializer<K> keySerializer;
  private final Serializer<V> valueSerializer;
  private Instant currentTime;
  private final Duration advance;

  TestInputTopic(
      TopologyTestDriver driver,
      String topic,
      Serializer<K> keySerializer,
      Serializer<V> valueSerializer,
      Instant startTime,
      Duration autoAdvance) {
    this.driver = driver;
    this.topic = Objects.requireNonNull(topic, "topic");
    this.keySerializer = Objects.requireNonNull(keySerializer, "keySerializer");
    this.valueSerializer = Objects.requireNonNull(valueSerializer, "valueSerializer");
    this.currentTime = startTime;
    if (autoAdvance.isNegative()) {
      throw new IllegalArgumentException("autoAdvance must not be negative");
    }
    this.advance = autoAdvance;
  }

  /** Moves this topic's current time forward. */
  public void advanceTime(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("advance must not be negative");
    }
    currentTime = currentTime.plus(d);
  }

  public void pipeInput(TestRecord<K, V> record) {
    Instant time = record.getRecordTime();
    if (time == null) {
      time = currentTime;
      currentTime = currentTime.plus(advance);
    }
    byte[] k = keySerializer.serialize(topic, record.headers(), record.key());
    byte[] v = valueSerializer.serialize(topic, record.headers(), record.value());
    driver.pipeRaw(topic, k, v, record.headers(), time.toEpochMilli());
  }

  public void pipeInput(V value) {
    pipeInput(new TestRecord<>(value));
  }

  public void pipeInput(K key, V value) {
    pipeInput(new TestRecord<>(key, value));
  }

  public void pipeInput(K key, V value, Instant time) {
    pipeInput(new TestRecord<>(key, value, time));
  }

  public void pipeInput(K key, V value, long timestampMs) {
    pipeInput(new TestRecord<>(key, value, null, timestampMs));
  }

  public void pipeValueList(List<V> values) {
    values.forEach(this::pipeInput);
  }

  public void pipeKeyValueList(List<KeyValue<K, V>> pairs) {
    pairs.forEach(kv -> pipeInput(kv.key(), kv.value()));
  }

  public void pipeRecordList(List<? extends TestRecord<K, V>> records) {
    records.forEach(this::pipeInput);
  }

  @Override
  public String toString() {
    return "TestInputTopic[" + topic + "]";
  }
}
