package io.millrace.streams.state;

import io.millrace.streams.internals.state.InMemoryKeyValueBytesStore;
import io.millrace.streams.internals.state.LogStructuredKeyValueStore;
import io.millrace.streams.internals.state.StoreBuilders;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;

/**
 * Makes state stores: a bytes supplier (in memory, or persistent on local disk under {@code
 * state.dir}) wrapped by a builder that adds serdes, the changelog and the record cache.
 *
 * <pre>{@code
 * StoreBuilder<KeyValueStore<String, Long>> counts =
 *     Stores.keyValueStoreBuilder(
 *         Stores.persistentKeyValueStore("counts"), Serdes.String(), Serdes.Long());
 * }</pre>
 *
 * <p>Persistent key-value stores are {@link LogStructuredKeyValueStore}s: an append-only data
 * file with an in-memory index of the keys, compacted in place. Window and session stores are
 * split into time segments of such stores (or of in-memory maps), so retention drops whole
 * segments.
 *
 * <p>Stateless; thread-safe.
 */
public final class Stores {
  private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]+");

  private Stores() {}

  static void requireName(String name) {
    Objects.requireNonNull(name, "store name");
    if (!LEGAL_NAME.matcher(name).matches() || name.length() > 200) {
      throw new IllegalArgumentException(
          "Store name '"
              + name
              + "' is not legal: use up to 200 of the characters a-z A-Z 0-9 . _ -"
              + " (it becomes part of a topic name and a directory name)");
    }
  }

  public static KeyValueBytesStoreSupplier persistentKeyValueStore(String name) {
    requireName(name);
    return supplier(name, () -> new LogStructuredKeyValueStore(name));
  }

  public static KeyValueBytesStoreSupplier inMemoryKeyValueStore(String name) {
    requireName(name);
    return supplier(name, () -> new InMemoryKeyValueBytesStore(name));
  }

  private static KeyValueBytesStoreSupplier supplier(
      String name, java.util.function.Supplier<KeyValueStore<Bytes, byte[]>> make) {
    return new KeyValueBytesStoreSupplier() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public KeyValueStore<Bytes, byte[]> get() {
        return make.get();
      }
    };
  }

  /**
   * @param retention how long windows are kept (at least the window size; include the grace)
   * @param windowSize the size of the windows
   * @param retainDuplicates keep every put (join buffers) instead of one value per window
   */
  public static WindowBytesStoreSupplier persistentWindowStore(
      String name, Duration retention, Duration windowSize, boolean retainDuplicates) {
    return new WindowBytesStoreSupplier(
        name, retention.toMillis(), windowSize.toMillis(), retainDuplicates, true);
  }

  public static WindowBytesStoreSupplier inMemoryWindowStore(
      String name, Duration retention, Duration windowSize, boolean retainDuplicates) {
    return new WindowBytesStoreSupplier(
        name, retention.toMillis(), windowSize.toMillis(), retainDuplicates, false);
  }

  public static SessionBytesStoreSupplier persistentSessionStore(String name, Duration retention) {
    return new SessionBytesStoreSupplier(name, retention.toMillis(), true);
  }

  public static SessionBytesStoreSupplier inMemorySessionStore(String name, Duration retention) {
    return new SessionBytesStoreSupplier(name, retention.toMillis(), false);
  }

  /** A key-value store; null serdes mean the application's defaults. */
  public static <K, V> StoreBuilder<KeyValueStore<K, V>> keyValueStoreBuilder(
      KeyValueBytesStoreSupplier supplier, Serde<K> keySerde, Serde<V> valueSerde) {
    return StoreBuilders.keyValue(supplier, keySerde, valueSerde);
  }

  /** A key-value store whose values carry timestamps (what the DSL materializes). */
  public static <K, V> StoreBuilder<TimestampedKeyValueStore<K, V>> timestampedKeyValueStoreBuilder(
      KeyValueBytesStoreSupplier supplier, Serde<K> keySerde, Serde<V> valueSerde) {
    return StoreBuilders.timestampedKeyValue(supplier, keySerde, valueSerde);
  }

  public static <K, V> StoreBuilder<WindowStore<K, V>> windowStoreBuilder(
      WindowBytesStoreSupplier supplier, Serde<K> keySerde, Serde<V> valueSerde) {
    return StoreBuilders.window(supplier, keySerde, valueSerde);
  }

  public static <K, V> StoreBuilder<TimestampedWindowStore<K, V>> timestampedWindowStoreBuilder(
      WindowBytesStoreSupplier supplier, Serde<K> keySerde, Serde<V> valueSerde) {
    return StoreBuilders.timestampedWindow(supplier, keySerde, valueSerde);
  }

  public static <K, V> StoreBuilder<SessionStore<K, V>> sessionStoreBuilder(
      SessionBytesStoreSupplier supplier, Serde<K> keySerde, Serde<V> valueSerde) {
    return StoreBuilders.session(supplier, keySerde, valueSerde);
  }
}
