package io.millrace.streams.internals.kstream;

import io.millrace.streams.kstream.Materialized;
import io.millrace.streams.state.KeyValueBytesStoreSupplier;
import io.millrace.streams.state.SessionBytesStoreSupplier;
import io.millrace.streams.state.SessionStore;
import io.millrace.streams.state.StoreBuilder;
import io.millrace.streams.state.Stores;
import io.millrace.streams.state.TimestampedKeyValueStore;
import io.millrace.streams.state.TimestampedWindowStore;
import io.millrace.streams.state.WindowBytesStoreSupplier;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;

/** Store builders for the DSL's operators, as a {@link Materialized} describes them. */
final class StoreFactory {
  private StoreFactory() {}

  static <K, V> StoreBuilder<TimestampedKeyValueStore<K, V>> keyValue(
      String name, Materialized<?, ?, ?> m, Serde<K> keySerde, Serde<V> valueSerde) {
    KeyValueBytesStoreSupplier supplier = m != null && m.keyValueSupplier() != null
        ? m.keyValueSupplier()
        : inMemory(m) ? Stores.inMemoryKeyValueStore(name) : Stores.persistentKeyValueStore(name);
    return layers(Stores.timestampedKeyValueStoreBuilder(supplier, keySerde, valueSerde), m);
  }

  static <K, V> StoreBuilder<TimestampedWindowStore<K, V>> window(
      String name, Materialized<?, ?, ?> m, long retentionMs, long windowSizeMs, Serde<K> keySerde, Serde<V> valueSerde) {
    WindowBytesStoreSupplier supplier = m != null && m.windowSupplier() != null
        ? m.windowSupplier()
        : inMemory(m)
            ? Stores.inMemoryWindowStore(name, Duration.ofMillis(retentionMs), Duration.ofMillis(windowSizeMs), false)
            : Stores.persistentWindowStore(name, Duration.ofMillis(retentionMs), Duration.ofMillis(windowSizeMs), false);
    return layers(Stores.timestampedWindowStoreBuilder(supplier, keySerde, valueSerde), m);
  }

  static <K, V> StoreBuilder<SessionStore<K, V>> session(
      String name, Materialized<?, ?, ?> m, long retentionMs, Serde<K> keySerde, Serde<V> valueSerde) {
    SessionBytesStoreSupplier supplier = m != null && m.sessionSupplier() != null
        ? m.sessionSupplier()
        : inMemory(m)
            ? Stores.inMemorySessionStore(name, Duration.ofMillis(retentionMs))
            : Stores.persistentSessionStore(name, Duration.ofMillis(retentionMs));
    return layers(Stores.sessionStoreBuilder(supplier, keySerde, valueSerde), m);
  }

  private static boolean inMemory(Materialized<?, ?, ?> m) {
    return m != null && m.storeType() == Materialized.StoreType.IN_MEMORY;
  }

  private static <T extends io.millrace.streams.state.StateStore> StoreBuilder<T> layers(
      StoreBuilder<T> b, Materialized<?, ?, ?> m) {
    if (m == null || m.loggingEnabled()) {
      b.withLoggingEnabled(m == null ? java.util.Map.of() : m.logConfig());
    } else {
      b.withLoggingDisabled();
    }
    if (m == null || m.cachingEnabled()) {
      b.withCachingEnabled();
    } else {
      b.withCachingDisabled();
    }
    return b;
  }

  /** The user's store name, or a generated one. */
  static String storeName(Materialized<?, ?, ?> m, InternalStreamsBuilder builder, String prefix) {
    return m != null && m.storeName() != null ? m.storeName() : builder.newStoreName(prefix);
  }

  /** The store retention: the user's (at least {@code minimumMs}) or {@code minimumMs}. */
  static long retention(Materialized<?, ?, ?> m, long minimumMs, String what) {
    if (m == null || m.retention() == null) {
      return minimumMs;
    }
    long r = m.retention().toMillis();
    if (r < minimumMs) {
      throw new IllegalArgumentException("The retention of " + what + " (" + r
          + " ms) must be at least the window size plus the grace period (" + minimumMs + " ms)");
    }
    return r;
  }
}
