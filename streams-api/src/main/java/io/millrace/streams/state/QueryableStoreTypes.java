package io.millrace.streams.state;

import io.millrace.streams.internals.state.CompositeStores;
import java.util.List;
import java.util.function.Supplier;

/**
 * The store kinds interactive queries can read. The views span every local task holding the
 * store (each holds the keys of its partitions), so a key is found wherever it lives locally;
 * keys held by other instances are not (see {@code MillraceStreams.queryMetadataForKey}).
 *
 * <pre>{@code
 * ReadOnlyKeyValueStore<String, Long> counts =
 *     streams.store("counts-store", QueryableStoreTypes.keyValueStore());
 * Long kafka = counts.get("kafka");
 * }</pre>
 *
 * <p>Views are thread-safe for reading. While the application rebalances a view may throw
 * {@link io.millrace.streams.errors.InvalidStateStoreException}: retry after a moment.
 */
public final class QueryableStoreTypes {
  private QueryableStoreTypes() {}

  /** Key-value stores, timestamped ones seen without their timestamps. */
  public static <K, V> QueryableStoreType<ReadOnlyKeyValueStore<K, V>> keyValueStore() {
    return new QueryableStoreType<>() {
      @Override
      public boolean accepts(StateStore store) {
        return store instanceof KeyValueStore<?, ?>;
      }

      @Override
      public ReadOnlyKeyValueStore<K, V> create(Supplier<List<StateStore>> stores, String name) {
        return CompositeStores.keyValue(stores, name, true);
      }
    };
  }

  public static <K, V> QueryableStoreType<ReadOnlyKeyValueStore<K, ValueAndTimestamp<V>>> timestampedKeyValueStore() {
    return new QueryableStoreType<>() {
      @Override
      public boolean accepts(StateStore store) {
        return store instanceof TimestampedKeyValueStore<?, ?>;
      }

      @Override
      public ReadOnlyKeyValueStore<K, ValueAndTimestamp<V>> create(Supplier<List<StateStore>> stores, String name) {
        return CompositeStores.keyValue(stores, name, false);
      }
    };
  }

  /** Window stores, timestamped ones seen without their timestamps. */
  public static <K, V> QueryableStoreType<ReadOnlyWindowStore<K, V>> windowStore() {
    return new QueryableStoreType<>() {
      @Override
      public boolean accepts(StateStore store) {
        return store instanceof WindowStore<?, ?>;
      }

      @Override
      public ReadOnlyWindowStore<K, V> create(Supplier<List<StateStore>> stores, String name) {
        return CompositeStores.window(stores, name, true);
      }
    };
  }

  public static <K, V> QueryableStoreType<ReadOnlyWindowStore<K, ValueAndTimestamp<V>>> timestampedWindowStore() {
    return new QueryableStoreType<>() {
      @Override
      public boolean accepts(StateStore store) {
        return store instanceof TimestampedWindowStore<?, ?>;
      }

      @Override
      public ReadOnlyWindowStore<K, ValueAndTimestamp<V>> create(Supplier<List<StateStore>> stores, String name) {
        return CompositeStores.window(stores, name, false);
      }
    };
  }

  public static <K, V> QueryableStoreType<ReadOnlySessionStore<K, V>> sessionStore() {
    return new QueryableStoreType<>() {
      @Override
      public boolean accepts(StateStore store) {
        return store instanceof SessionStore<?, ?>;
      }

      @Override
      public ReadOnlySessionStore<K, V> create(Supplier<List<StateStore>> stores, String name) {
        return CompositeStores.session(stores, name);
      }
    };
  }
}
