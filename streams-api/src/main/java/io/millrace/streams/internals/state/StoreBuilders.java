package io.millrace.streams.internals.state;

import io.millrace.streams.state.KeyValueBytesStoreSupplier;
import io.millrace.streams.state.KeyValueStore;
import io.millrace.streams.state.SessionBytesStoreSupplier;
import io.millrace.streams.state.SessionStore;
import io.millrace.streams.state.StateStore;
import io.millrace.streams.state.StoreBuilder;
import io.millrace.streams.state.TimestampedKeyValueStore;
import io.millrace.streams.state.TimestampedWindowStore;
import io.millrace.streams.state.WindowBytesStoreSupplier;
import io.millrace.streams.state.WindowStore;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.serialization.Serde;

/**
 * The builders behind {@link io.millrace.streams.state.Stores}: layer by layer.
 *
 * <p>Threading: built on one thread while the topology is described (the {@code StreamsBuilder}'s),
 * read-only afterwards.
 */
public final class StoreBuilders {
  private StoreBuilders() {}

  public static <K, V> StoreBuilder<KeyValueStore<K, V>> keyValue(
      KeyValueBytesStoreSupplier supplier, Serde<K> keySerde, Serde<V> valueSerde) {
    return new Builder<>(
        supplier.name(),
        -1,
        b -> new TypedKeyValueStore<>(
            new TrackedKeyValueBytesStore(supplier.get(), b.logging, b.caching, false),
            keySerde,
            valueSerde));
  }

  public static <K, V> StoreBuilder<TimestampedKeyValueStore<K, V>> timestampedKeyValue(
      KeyValueBytesStoreSupplier supplier, Serde<K> keySerde, Serde<V> valueSerde) {
    return new Builder<>(
        supplier.name(),
        -1,
        b -> new TypedTimestampedKeyValueStore<>(
            new TrackedKeyValueBytesStore(supplier.get(), b.logging, b.caching, true),
            keySerde,
            valueSerde));
  }

  public static <K, V> StoreBuilder<WindowStore<K, V>> window(
      WindowBytesStoreSupplier supplier, Serde<K> keySerde, Serde<V> valueSerde) {
    return new Builder<>(
        supplier.name(),
        supplier.retentionPeriodMs(),
        b -> new TypedWindowStore<>(
            new TrackedWindowBytesStore(
                (SegmentedWindowBytesStore) supplier.get(), b.logging, b.caching, false),
            keySerde,
            valueSerde,
            supplier.windowSizeMs()));
  }

  public static <K, V> StoreBuilder<TimestampedWindowStore<K, V>> timestampedWindow(
      WindowBytesStoreSupplier supplier, Serde<K> keySerde, Serde<V> valueSerde) {
    return new Builder<>(
        supplier.name(),
        supplier.retentionPeriodMs(),
        b -> new TypedTimestampedWindowStore<>(
            new TrackedWindowBytesStore(
                (SegmentedWindowBytesStore) supplier.get(), b.logging, b.caching, true),
            keySerde,
            valueSerde,
            supplier.windowSizeMs()));
  }

  public static <K, V> StoreBuilder<SessionStore<K, V>> session(
      SessionBytesStoreSupplier supplier, Serde<K> keySerde, Serde<V> valueSerde) {
    return new Builder<>(
        supplier.name(),
        supplier.retentionPeriodMs(),
        b -> new TypedSessionStore<>(
            new TrackedSessionBytesStore(
                (SegmentedSessionBytesStore) supplier.get(), b.logging, b.caching),
            keySerde,
            valueSerde));
  }

  /** Holds the layer switches; {@code make} builds a store from them. */
  static final class Builder<T extends StateStore> implements StoreBuilder<T> {
    private final String name;
    private final long retentionMs;
    private final java.util.function.Function<Builder<T>, T> make;
    boolean logging = true;
    boolean caching = false;
    private Map<String, String> logConfig = new HashMap<>();

    Builder(String name, long retentionMs, java.util.function.Function<Builder<T>, T> make) {
      this.name = name;
      this.retentionMs = retentionMs;
      this.make = make;
    }

    @Override
    public StoreBuilder<T> withCachingEnabled() {
      caching = true;
      return this;
    }

    @Override
    public StoreBuilder<T> withCachingDisabled() {
      caching = false;
      return this;
    }

    @Override
    public StoreBuilder<T> withLoggingEnabled(Map<String, String> topicConfig) {
      logging = true;
      logConfig = new HashMap<>(topicConfig);
      return this;
    }

    @Override
    public StoreBuilder<T> withLoggingDisabled() {
      logging = false;
      logConfig = new HashMap<>();
      return this;
    }

    @Override
    public T build() {
      return make.apply(this);
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public boolean loggingEnabled() {
      return logging;
    }

    @Override
    public boolean cachingEnabled() {
      return caching;
    }

    @Override
    public Map<String, String> logConfig() {
      return Map.copyOf(logConfig);
    }

    @Override
    public long retentionMs() {
      return retentionMs;
    }
  }

}
