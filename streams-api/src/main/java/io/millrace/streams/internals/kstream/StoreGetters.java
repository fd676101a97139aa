package io.millrace.streams.internals.kstream;

import io.millrace.streams.kstream.Windowed;
import io.millrace.streams.processor.ProcessorContext;
import io.millrace.streams.state.SessionStore;
import io.millrace.streams.state.StateStore;
import io.millrace.streams.state.TimestampedKeyValueStore;
import io.millrace.streams.state.TimestampedWindowStore;
import io.millrace.streams.state.ValueAndTimestamp;
import java.util.Set;

/** Value getters reading the store a table is materialized in. */
final class StoreGetters {
  private StoreGetters() {}

  @SuppressWarnings("unchecked")
  static <K, V> KTableValueGetterSupplier<K, V> keyValue(String storeName) {
    return new KTableValueGetterSupplier<>() {
      @Override
      public KTableValueGetter<K, V> get() {
        return new KTableValueGetter<>() {
          private TimestampedKeyValueStore<K, V> store;

          @Override
          public void init(ProcessorContext<?, ?> context) {
            store = context.getStateStore(storeName);
          }

          @Override
          public ValueAndTimestamp<V> get(K key) {
            return store.get(key);
          }
        };
      }

      @Override
      public Set<String> storeNames() {
        return Set.of(storeName);
      }
    };
  }

  /** A windowed table's value: the window store's entry for the key and window start. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static <K, V> KTableValueGetterSupplier<Windowed<K>, V> window(String storeName) {
    return new KTableValueGetterSupplier<>() {
      @Override
      public KTableValueGetter<Windowed<K>, V> get() {
        return new KTableValueGetter<>() {
          private StateStore store;

          @Override
          public void init(ProcessorContext<?, ?> context) {
            store = context.getStateStore(storeName);
          }

          @Override
          public ValueAndTimestamp<V> get(Windowed<K> key) {
            if (store instanceof TimestampedWindowStore w) {
              return (ValueAndTimestamp<V>) w.fetch(key.key(), key.window().start());
            }
            V v = (V) ((SessionStore) store).fetchSession(key.key(), key.window().start(), key.window().end());
            return ValueAndTimestamp.make(v, key.window().end());
          }
        };
      }

      @Override
      public Set<String> storeNames() {
        return Set.of(storeName);
      }
    };
  }
}
