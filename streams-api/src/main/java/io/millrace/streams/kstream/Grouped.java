package io.millrace.streams.kstream;

import org.apache.kafka.common.serialization.Serde;

/**
 * How a stream is grouped: the serdes of the repartition topic (if re-keying needs one) and its
 * name, {@code <application.id>-<name>-repartition}.
 *
 * <p>Immutable: each {@code with...} returns a new instance; thread-safe.
 */
public final class Grouped<K, V> {
  final String name;
  final Serde<K> keySerde;
  final Serde<V> valueSerde;

  private Grouped(String name, Serde<K> keySerde, Serde<V> valueSerde) {
    this.name = name;
    this.keySerde = keySerde;
    this.valueSerde = valueSerde;
  }

  public static <K, V> Grouped<K, V> as(String name) {
    Named.validate(name);
    return new Grouped<>(name, null, null);
  }

  public static <K, V> Grouped<K, V> with(Serde<K> keySerde, Serde<V> valueSerde) {
    return new Grouped<>(null, keySerde, valueSerde);
  }

  public static <K, V> Grouped<K, V> with(String name, Serde<K> keySerde, Serde<V> valueSerde) {
    Named.validate(name);
    return new Grouped<>(name, keySerde, valueSerde);
  }

  public static <K, V> Grouped<K, V> keySerde(Serde<K> keySerde) {
    return new Grouped<>(null, keySerde, null);
  }

  public static <K, V> Grouped<K, V> valueSerde(Serde<V> valueSerde) {
    return new Grouped<>(null, null, valueSerde);
  }

  public Grouped<K, V> withName(String newName) {
    Named.validate(newName);
    return new Grouped<>(newName, keySerde, valueSerde);
  }

  public Grouped<K, V> withKeySerde(Serde<K> serde) {
    return new Grouped<>(name, serde, valueSerde);
  }

  public Grouped<K, V> withValueSerde(Serde<V> serde) {
    return new Grouped<>(name, keySerde, serde);
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
}
