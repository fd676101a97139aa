package io.millrace.streams.kstream;

import org.apache.kafka.common.serialization.Serde;

/**
 * Serdes and name of a stream-table join (and of the repartition it may need).
 *
 * <p>Immutable: each {@code with...} returns a new instance; thread-safe.
 */
public final class Joined<K, V, VO> {
  final Serde<K> keySerde;
  final Serde<V> valueSerde;
  final Serde<VO> otherValueSerde;
  final String name;

  private Joined(Serde<K> k, Serde<V> v, Serde<VO> vo, String name) {
    this.keySerde = k;
    this.valueSerde = v;
    this.otherValueSerde = vo;
    this.name = name;
  }

  public static <K, V, VO> Joined<K, V, VO> with(Serde<K> keySerde, Serde<V> valueSerde, Serde<VO> otherValueSerde) {
    return new Joined<>(keySerde, valueSerde, otherValueSerde, null);
  }

  public static <K, V, VO> Joined<K, V, VO> as(String name) {
    Named.validate(name);
    return new Joined<>(null, null, null, name);
  }

  public Joined<K, V, VO> withName(String newName) {
    Named.validate(newName);
    return new Joined<>(keySerde, valueSerde, otherValueSerde, newName);
  }

  public Joined<K, V, VO> withKeySerde(Serde<K> s) {
    return new Joined<>(s, valueSerde, otherValueSerde, name);
  }

  public Joined<K, V, VO> withValueSerde(Serde<V> s) {
    return new Joined<>(keySerde, s, otherValueSerde, name);
  }

  public Joined<K, V, VO> withOtherValueSerde(Serde<VO> s) {
    return new Joined<>(keySerde, valueSerde, s, name);
  }

  public Serde<K> keySerde() {
    return keySerde;
  }

  public Serde<V> valueSerde() {
    return valueSerde;
  }

  public Serde<VO> otherValueSerde() {
    return otherValueSerde;
  }

  public String name() {
    return name;
  }
}
