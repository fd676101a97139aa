package io.millrace.streams.kstream;

import io.millrace.streams.state.KeyValueBytesStoreSupplier;
import io.millrace.streams.state.SessionBytesStoreSupplier;
import io.millrace.streams.state.StateStore;
import io.millrace.streams.state.WindowBytesStoreSupplier;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * How a table or aggregation keeps its state: store name (which makes it queryable and its
 * changelog {@code <application.id>-<name>-changelog} stable), store kind, serdes, changelog
 * and cache. Stores are persistent, logged and cached unless told otherwise.
 *
 * <pre>{@code
 * .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("counts-store"))
 * }</pre>
 *
 * <p>A mutable builder, as Kafka Streams' is: configure it on the thread that builds the topology
 * and hand it to one operation.
 *
 * @param <S> the store type, for Kafka Streams familiarity (e.g. {@code KeyValueStore<Bytes,
 *     byte[]>}); the DSL picks the store from the operation
 */
public final class Materialized<K, V, S extends StateStore> {
  /** Where the store keeps its data. */
  public enum StoreType {
    /** On local disk under state.dir (the default). */
    PERSISTENT,
    /** In memory; rebuilt from the changelog after a restart. */
    IN_MEMORY
  }

  String storeName;
  KeyValueBytesStoreSupplier keyValueSupplier;
  WindowBytesStoreSupplier windowSupplier;
  SessionBytesStoreSupplier sessionSupplier;
  Serde<K> keySerde;
  Serde<V> valueSerde;
  boolean loggingEnabled = true;
  Map<String, String> logConfig = new HashMap<>();
  boolean cachingEnabled = true;
  Duration retention;
  StoreType storeType = StoreType.PERSISTENT;

  private Materialized() {}

  private Materialized<K, V, S> copy() {
    Materialized<K, V, S> m = new Materialized<>();
    m.storeName = storeName;
    m.keyValueSupplier = keyValueSupplier;
    m.windowSupplier = windowSupplier;
    m.sessionSupplier = sessionSupplier;
    m.keySerde = keySerde;
    m.valueSerde = valueSerde;
    m.loggingEnabled = loggingEnabled;
    m.logConfig = new HashMap<>(logConfig);
    m.cachingEnabled = cachingEnabled;
    m.retention = retention;
    m.storeType = storeType;
    return m;
  }

  /** A store with this name (queryable under it). */
  public static <K, V, S extends StateStore> Materialized<K, V, S> as(String storeName) {
    Named.validate(storeName);
    Materialized<K, V, S> m = new Materialized<>();
    m.storeName = storeName;
    return m;
  }

  public static <K, V, S extends StateStore> Materialized<K, V, S> as(StoreType type) {
    Materialized<K, V, S> m = new Materialized<>();
    m.storeType = type;
    return m;
  }

  public static <K, V, S extends StateStore> Materialized<K, V, S> as(KeyValueBytesStoreSupplier supplier) {
    Materialized<K, V, S> m = new Materialized<>();
    m.keyValueSupplier = supplier;
    m.storeName = supplier.name();
    return m;
  }

  public static <K, V, S extends StateStore> Materialized<K, V, S> as(WindowBytesStoreSupplier supplier) {
    Materialized<K, V, S> m = new Materialized<>();
    m.windowSupplier = supplier;
    m.storeName = supplier.name();
    return m;
  }

  public static <K, V, S extends StateStore> Materialized<K, V, S> as(SessionBytesStoreSupplier supplier) {
    Materialized<K, V, S> m = new Materialized<>();
    m.sessionSupplier = supplier;
    m.storeName = supplier.name();
    return m;
  }

  /** An unnamed store with these serdes. */
  public static <K, V, S extends StateStore> Materialized<K, V, S> with(Serde<K> keySerde, Serde<V> valueSerde) {
    Materialized<K, V, S> m = new Materialized<>();
    m.keySerde = keySerde;
    m.valueSerde = valueSerde;
    return m;
  }

  public Materialized<K, V, S> withKeySerde(Serde<K> serde) {
    Materialized<K, V, S> m = copy();
    m.keySerde = serde;
    return m;
  }

  public Materialized<K, V, S> withValueSerde(Serde<V> serde) {
    Materialized<K, V, S> m = copy();
    m.valueSerde = serde;
    return m;
  }

  public Materialized<K, V, S> withLoggingEnabled(Map<String, String> topicConfig) {
    Materialized<K, V, S> m = copy();
    m.loggingEnabled = true;
    m.logConfig = new HashMap<>(topicConfig);
    return m;
  }

  /** No changelog: state is lost when the task moves or an in-memory store restarts. */
  public Materialized<K, V, S> withLoggingDisabled() {
    Materialized<K, V, S> m = copy();
    m.loggingEnabled = false;
    return m;
  }

  public Materialized<K, V, S> withCachingEnabled() {
    Materialized<K, V, S> m = copy();
    m.cachingEnabled = true;
    return m;
  }

  /** Every update goes downstream and to the changelog at once. */
  public Materialized<K, V, S> withCachingDisabled() {
    Materialized<K, V, S> m = copy();
    m.cachingEnabled = false;
    return m;
  }

  /** How long a window or session store keeps windows (at least window size plus grace). */
  public Materialized<K, V, S> withRetention(Duration r) {
    if (r.isNegative()) {
      throw new IllegalArgumentException("Retention must not be negative: " + r);
    }
    Materialized<K, V, S> m = copy();
    m.retention = r;
    return m;
  }

  public Materialized<K, V, S> withStoreType(StoreType type) {
    Materialized<K, V, S> m = copy();
    m.storeType = type;
    return m;
  }

  public String storeName() {
    return storeName;
  }

  public Serde<K> keySerde() {
    return keySerde;
  }

  public Serde<V> valueSerde() {
    return valueSerde;
  }

  public boolean loggingEnabled() {
    return loggingEnabled;
  }

  public Map<String, String> logConfig() {
    return Map.copyOf(logConfig);
  }

  public boolean cachingEnabled() {
    return cachingEnabled;
  }

  public Duration retention() {
    return retention;
  }

  public StoreType storeType() {
    return storeType;
  }

  public KeyValueBytesStoreSupplier keyValueSupplier() {
    return keyValueSupplier;
  }

  public WindowBytesStoreSupplier windowSupplier() {
    return windowSupplier;
  }

  public SessionBytesStoreSupplier sessionSupplier() {
    return sessionSupplier;
  }
}
