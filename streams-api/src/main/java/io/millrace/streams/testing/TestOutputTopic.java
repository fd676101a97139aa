package io.millrace.streams.testing;

import io.millrace.streams.KeyValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads what a topology wrote to a topic in a {@link TopologyTestDriver}, oldest first.
 *
 * <p>Not thread-safe: use it on the thread that drives the {@link TopologyTestDriver}.
 */
public final class TestOutputTopic<K, V> {
  private final TopologyTestDriver driver;
  private final String topic;
  private final Deserializer<K> keyDeserializer;
  private final Deserializer<V> valueDeserializer;

  TestOutputTopic(
      TopologyTestDriver driver, String topic, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
    this.driver = driver;
    this.topic = topic;
    this.keyDeserializer = keyDeserializer;
    this.valueDeserializer = valueDeserializer;
  }

  /**
   * The next record.
   *
   * @throws NoSuchElementException if there is none
   */
  public TestRecord<K, V> readRecord() {
    ProducerRecord<byte[], byte[]> r = driver.readOutput(topic);
    if (r == null) {
      throw new NoSuchElementException("No more records in " + topic);
    }
    K key = keyDeserializer.deserialize(topic, r.headers(), r.key());
    V value = valueDeserializer.deserialize(topic, r.headers(), r.value());
    return new TestRecord<>(key, value, r.headers(), Instant.ofEpochMilli(r.timestamp()));
  }

  public V readValue() {
    return readRecord().value();
  }

  public KeyValue<K, V> readKeyValue() {
    TestRecord<K, V> r = readRecord();
    return KeyValue.pair(r.key(), r.value());
  }

  public List<TestRecord<K, V>> readRecordsToList() {
    List<TestRecord<K, V>> out = new ArrayList<>();
    while (!isEmpty()) {
      out.add(readRecord());
    }
    return out;
  }

  public List<V> readValuesToList() {
    List<V> out = new ArrayList<>();
    while (!isEmpty()) {
      out.add(readValue());
    }
    return out;
  }

  public List<KeyValue<K, V>> readKeyValuesToList() {
    List<KeyValue<K, V>> out = new ArrayList<>();
    while (!isEmpty()) {
      out.add(readKeyValue());
    }
    return out;
  }

  /** The latest value per key (a null value removes the key), in first-seen order. */
  public Map<K, V> readKeyValuesToMap() {
    Map<K, V> out = new LinkedHashMap<>();
    while (!isEmpty()) {
      KeyValue<K, V> kv = readKeyValue();
      if (kv.key() == null) {
        throw new IllegalStateException("A record in " + topic + " has a null key");
      }
      if (kv.value() == null) {
        out.remove(kv.key());
      } else {
        out.put(kv.key(), kv.value());
      }
    }
    return out;
  }

  public long getQueueSize() {
    return driver.outputSize(topic);
  }

  public boolean isEmpty() {
    return getQueueSize() == 0;
  }

  @Override
  public String toString() {
    return "TestOutputTopic[" + topic + ", size=" + getQueueSize() + "]";
  }
}
