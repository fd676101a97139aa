package io.millrace.streams.kstream;

import org.apache.kafka.common.serialization.Serde;

/**
 * Serdes and names of a stream-stream join: its two window stores (named {@code
 * <storeName>-this-join-store} and {@code <storeName>-other-join-store}) and their changelogs.
 *
 * <p>Immutable: each {@code with...} returns a new instance; thread-safe.
 */
public final class StreamJoined<K, V1, V2> {
  final Serde<K> keySerde;
  final Serde<V1> valueSerde;
  final Serde<V2> otherValueSerde;
  final String name;
  final String storeName;
  final boolean loggingEnabled;
  final boolean inMemory;

  private StreamJoined(Serde<K> k, Serde<V1> v1, Serde<V2> v2, String name, String storeName,
      boolean logging, boolean inMemory) {
    this.keySerde = k;
    this.valueSerde = v1;
    this.otherValueSerde = v2;
    this.name = name;
    this.storeName = storeName;
    this.loggingEnabled = logging;
    this.inMemory = inMemory;
  }

  public static <K, V1, V2> StreamJoined<K, V1, V2> with(Serde<K> k, Serde<V1> v1, Serde<V2> v2) {
    return new StreamJoined<>(k, v1, v2, null, null, true, false);
  }

  public static <K, V1, V2> StreamJoined<K, V1, V2> as(String storeName) {
    Named.validate(storeName);
    return new StreamJoined<>(null, null, null, null, storeName, true, false);
  }

  public StreamJoined<K, V1, V2> withName(String n) {
    Named.validate(n);
    return new StreamJoined<>(keySerde, valueSerde, otherValueSerde, n, storeName, loggingEnabled, inMemory);
  }

  public StreamJoined<K, V1, V2> withStoreName(String s) {
    Named.validate(s);
    return new StreamJoined<>(keySerde, valueSerde, otherValueSerde, name, s, loggingEnabled, inMemory);
  }

  public StreamJoined<K, V1, V2> withKeySerde(Serde<K> s) {
    return new StreamJoined<>(s, valueSerde, otherValueSerde, name, storeName, loggingEnabled, inMemory);
  }

  public StreamJoined<K, V1, V2> withValueSerde(Serde<V1> s) {
    return new StreamJoined<>(keySerde, s, otherValueSerde, name, storeName, loggingEnabled, inMemory);
  }

  public StreamJoined<K, V1, V2> withOtherValueSerde(Serde<V2> s) {
    return new StreamJoined<>(keySerde, valueSerde, s, name, storeName, loggingEnabled, inMemory);
  }

  public StreamJoined<K, V1, V2> withLoggingDisabled() {
    return new StreamJoined<>(keySerde, valueSerde, otherValueSerde, name, storeName, false, inMemory);
  }

  /** Keep the join buffers in memory rather than on disk. */
  public StreamJoined<K, V1, V2> withInMemoryStores() {
    return new StreamJoined<>(keySerde, valueSerde, otherValueSerde, name, storeName, loggingEnabled, true);
  }

  public Serde<K> keySerde() {
    return keySerde;
  }

  public Serde<V1> valueSerde() {
    return valueSerde;
  }

  public Serde<V2> otherValueSerde() {
    return otherValueSerde;
  }

  public String name() {
    return name;
  }

  public String storeName() {
    return storeName;
  }

  public boolean loggingEnabled() {
    return loggingEnabled;
  }

  public boolean inMemory() {
    return inMemory;
  }
}
