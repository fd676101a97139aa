package io.millrace.streams.kstream;

import io.millrace.streams.processor.StreamPartitioner;
import org.apache.kafka.common.serialization.Serde;

/**
 * An explicit repartition: topic name, serdes, partition count, partitioner.
 *
 * <p>Immutable: each {@code with...} returns a new instance; thread-safe.
 */
public final class Repartitioned<K, V> {
  final String name;
  final Serde<K> keySerde;
  final Serde<V> valueSerde;
  final Integer partitions;
  final StreamPartitioner<K, V> partitioner;

  private Repartitioned(String name, Serde<K> k, Serde<V> v, Integer partitions, StreamPartitioner<K, V> p) {
    if (partitions != null && partitions < 1) {
      throw new IllegalArgumentException("A repartition topic needs at least 1 partition, got " + partitions);
    }
    this.name = name;
    this.keySerde = k;
    this.valueSerde = v;
    this.partitions = partitions;
    this.partitioner = p;
  }

  public static <K, V> Repartitioned<K, V> as(String name) {
    Named.validate(name);
    return new Repartitioned<>(name, null, null, null, null);
  }

  public static <K, V> Repartitioned<K, V> with(Serde<K> keySerde, Serde<V> valueSerde) {
    return new Repartitioned<>(null, keySerde, valueSerde, null, null);
  }

  public static <K, V> Repartitioned<K, V> numberOfPartitions(int partitions) {
    return new Repartitioned<>(null, null, null, partitions, null);
  }

  public static <K, V> Repartitioned<K, V> streamPartitioner(StreamPartitioner<K, V> p) {
    return new Repartitioned<>(null, null, null, null, p);
  }

  public Repartitioned<K, V> withName(String newName) {
    Named.validate(newName);
    return new Repartitioned<>(newName, keySerde, valueSerde, partitions, partitioner);
  }

  public Repartitioned<K, V> withKeySerde(Serde<K> serde) {
    return new Repartitioned<>(name, serde, valueSerde, partitions, partitioner);
  }

  public Repartitioned<K, V> withValueSerde(Serde<V> serde) {
    return new Repartitioned<>(name, keySerde, serde, partitions, partitioner);
  }

  public Repartitioned<K, V> withNumberOfPartitions(int n) {
    return new Repartitioned<>(name, keySerde, valueSerde, n, partitioner);
  }

  public Repartitioned<K, V> withStreamPartitioner(StreamPartitioner<K, V> p) {
    return new Repartitioned<>(name, keySerde, valueSerde, partitions, p);
  }

  public String name() {
    return name;
  }

  public Serde<K> keySerde() {
    return keySerde;
  }

  public Serde<V> valueSerde() {
    return valueSerde;
  }

  public Integer partitions() {
    return partitions;
  }

  public StreamPartitioner<K, V> partitioner() {
    return partitioner;
  }
}
