package io.millrace.streams.kstream;

import io.millrace.streams.Topology;
import io.millrace.streams.processor.TimestampExtractor;
import org.apache.kafka.common.serialization.Serde;

/**
 * How a source reads its topic: serdes, timestamp extractor, offset reset, name.
 *
 * <p>Immutable: each {@code with...} returns a new instance; thread-safe.
 */
public final class Consumed<K, V> {
  final Serde<K> keySerde;
  final Serde<V> valueSerde;
  final TimestampExtractor timestampExtractor;
  final Topology.AutoOffsetReset offsetReset;
  final String name;

  private Consumed(Serde<K> k, Serde<V> v, TimestampExtractor t, Topology.AutoOffsetReset r, String n) {
    this.keySerde = k;
    this.valueSerde = v;
    this.timestampExtractor = t;
    this.offsetReset = r;
    this.name = n;
  }

  public static <K, V> Consumed<K, V> with(Serde<K> keySerde, Serde<V> valueSerde) {
    return new Consumed<>(keySerde, valueSerde, null, null, null);
  }

  public static <K, V> Consumed<K, V> with(TimestampExtractor extractor) {
    return new Consumed<>(null, null, extractor, null, null);
  }

  public static <K, V> Consumed<K, V> with(Topology.AutoOffsetReset reset) {
    return new Consumed<>(null, null, null, reset, null);
  }

  public static <K, V> Consumed<K, V> as(String name) {
    Named.validate(name);
    return new Consumed<>(null, null, null, null, name);
  }

  public Consumed<K, V> withKeySerde(Serde<K> serde) {
    return new Consumed<>(serde, valueSerde, timestampExtractor, offsetReset, name);
  }

  public Consumed<K, V> withValueSerde(Serde<V> serde) {
    return new Consumed<>(keySerde, serde, timestampExtractor, offsetReset, name);
  }

  public Consumed<K, V> withTimestampExtractor(TimestampExtractor extractor) {
    return new Consumed<>(keySerde, valueSerde, extractor, offsetReset, name);
  }

  public Consumed<K, V> withOffsetResetPolicy(Topology.AutoOffsetReset reset) {
    return new Consumed<>(keySerde, valueSerde, timestampExtractor, reset, name);
  }

  public Consumed<K, V> withName(String newName) {
    Named.validate(newName);
    return new Consumed<>(keySerde, valueSerde, timestampExtractor, offsetReset, newName);
  }

  public Serde<K> keySerde() {
    return keySerde;
  }

  public Serde<V> valueSerde() {
    return valueSerde;
  }

  public TimestampExtractor timestampExtractor() {
    return timestampExtractor;
  }

  public Topology.AutoOffsetReset offsetReset() {
    return offsetReset;
  }

  public String name() {
    return name;
  }
}
