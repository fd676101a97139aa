package io.millrace.streams.kstream;

import io.millrace.streams.processor.StreamPartitioner;
import org.apache.kafka.common.serialization.Serde;

/**
 * How a sink writes its topic: serdes, partitioner, name.
 *
 * <p>Immutable: each {@code with...} returns a new instance; thread-safe.
 */
public final class Produced<K, V> {
  final Serde<K> keySerde;
  final Serde<V> valueSerde;
  final StreamPartitioner<? super K, ? super V> partitioner;
  final String name;

  private Produced(Serde<K> k, Serde<V> v, StreamPartitioner<? super K, ? super V> p, String n) {
    this.keySerde = k;
    this.valueSerde = v;
    this.partitioner = p;
    this.name = n;
  }

  public static <K, V> Produced<K, V> with(Serde<K> keySerde, Serde<V> valueSerde) {
    return new Produced<>(keySerde, valueSerde, null, null);
  }

  public static <K, V> Produced<K, V> with(
      Serde<K> keySerde, Serde<V> valueSerde, StreamPartitioner<? super K, ? super V> partitioner) {
    return new Produced<>(keySerde, valueSerde, partitioner, null);
  }

  public static <K, V> Produced<K, V> as(String name) {
    Named.validate(name);
    return new Produced<>(null, null, null, name);
  }

  public static <K, V> Produced<K, V> keySerde(Serde<K> keySerde) {
    return new Produced<>(keySerde, null, null, null);
  }

  public static <K, V> Produced<K, V> valueSerde(Serde<V> valueSerde) {
    return new Produced<>(null, valueSerde, null, null);
  }

  public static <K, V> Produced<K, V> streamPartitioner(StreamPartitioner<? super K, ? super V> p) {
    return new Produced<>(null, null, p, null);
  }

  public Produced<K, V> withKeySerde(Serde<K> serde) {
    return new Produced<>(serde, valueSerde, partitioner, name);
  }

  public Produced<K, V> withValueSerde(Serde<V> serde) {
    return new Produced<>(keySerde, serde, partitioner, name);
  }

  public Produced<K, V> withStreamPartitioner(StreamPartitioner<? super K, ? super V> p) {
    return new Produced<>(keySerde, valueSerde, p, name);
  }

  public Produced<K, V> withName(String newName) {
    Named.validate(newName);
    return new Produced<>(keySerde, valueSerde, partitioner, newName);
  }

  public Serde<K> keySerde() {
    return keySerde;
  }

  public Serde<V> valueSerde() {
    return valueSerde;
  }

  public StreamPartitioner<? super K, ? super V> partitioner() {
    return partitioner;
  }

  public String name() {
    return name;
  }
}
