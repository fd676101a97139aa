package io.millrace.streams.internals.kstream;

import io.millrace.streams.processor.ProcessorContext;
import io.millrace.streams.processor.ProcessorSupplier;
import io.millrace.streams.processor.Record;
import io.millrace.streams.state.TimestampedKeyValueStore;
import io.millrace.streams.state.ValueAndTimestamp;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Stateless table operators (filter, mapValues): applied to both the new and the old value of
 * each change. Materialized (when the user names a store) they also keep their result in it.
 */
final class KTableOperators {
  private KTableOperators() {}

  /**
   * Maps each value; {@code fn} returns null to drop (filter). With a store name, keeps the
   * result there and forwards through its cache.
   */
  static <K, V, VR> ProcessorSupplier<K, Change<V>, K, Change<VR>> mapping(
      BiFunction<? super K, ? super V, ? extends VR> fn, String storeName) {
    return () -> new ContextualProcessor<>() {
      private TimestampedKeyValueStore<K, VR> store;
      private TupleForwarder<K, VR> forwarder;

      @Override
      public void init(ProcessorContext<K, Change<VR>> context) {
        super.init(context);
        if (storeName != null) {
          store = context.getStateStore(storeName);
          forwarder = new TupleForwarder<>(store, context);
        }
      }

      @Override
      public void process(Record<K, Change<V>> r) {
        VR n = r.value().newValue() == null ? null : fn.apply(r.key(), r.value().newValue());
        VR o = r.value().oldValue() == null ? null : fn.apply(r.key(), r.value().oldValue());
        if (n == null && o == null) {
          return;
        }
        if (store != null) {
          ValueAndTimestamp<VR> old = store.get(r.key());
          store.put(r.key(), ValueAndTimestamp.make(n, r.timestamp()));
          forwarder.maybeForward(r.withValue(new Change<>(n, ValueAndTimestamp.getValueOrNull(old))));
        } else {
          context.forward(r.withValue(new Change<>(n, o)));
        }
      }
    };
  }

  /** A getter computing the mapping on the parent table's current value. */
  static <K, V, VR> KTableValueGetterSupplier<K, VR> mappingGetter(
      KTableValueGetterSupplier<K, V> parent, BiFunction<? super K, ? super V, ? extends VR> fn) {
    return new KTableValueGetterSupplier<>() {
      @Override
      public KTableValueGetter<K, VR> get() {
        KTableValueGetter<K, V> p = parent.get();
        return new KTableValueGetter<>() {
          @Override
          public void init(ProcessorContext<?, ?> context) {
            p.init(context);
          }

          @Override
          public ValueAndTimestamp<VR> get(K key) {
            ValueAndTimestamp<V> v = p.get(key);
            return v == null ? null : ValueAndTimestamp.make(fn.apply(key, v.value()), v.timestamp());
          }
        };
      }

      @Override
      public Set<String> storeNames() {
        return parent.storeNames();
      }
    };
  }
}
