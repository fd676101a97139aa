package io.millrace.streams.internals.kstream;

import io.millrace.streams.processor.ProcessorContext;
import io.millrace.streams.processor.ProcessorSupplier;
import io.millrace.streams.processor.Record;
import io.millrace.streams.state.TimestampedKeyValueStore;
import io.millrace.streams.state.ValueAndTimestamp;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * A table-table join. An update on either side is joined with the other side's current value;
 * the joined change (new and old) goes to a merge node, which may materialize the result.
 *
 * <p>Which pairs produce a value: inner needs both, left needs the left one, outer either.
 */
final class KTableKTableJoin<K, V1, V2, VR> {
  enum Kind { INNER, LEFT, OUTER }

  private final KTableValueGetterSupplier<K, V1> leftGetter;
  private final KTableValueGetterSupplier<K, V2> rightGetter;
  private final BiFunction<? super V1, ? super V2, ? extends VR> joiner;
  private final Kind kind;

  KTableKTableJoin(KTableValueGetterSupplier<K, V1> leftGetter, KTableValueGetterSupplier<K, V2> rightGetter,
      BiFunction<? super V1, ? super V2, ? extends VR> joiner, Kind kind) {
    this.leftGetter = leftGetter;
    this.rightGetter = rightGetter;
    this.joiner = joiner;
    this.kind = kind;
  }

  private VR join(V1 l, V2 r) {
    boolean produce = switch (kind) {
      case INNER -> l != null && r != null;
      case LEFT -> l != null;
      case OUTER -> l != null || r != null;
    };
    return produce ? joiner.apply(l, r) : null;
  }

  /** Processes the left table's changes. */
  ProcessorSupplier<K, Change<V1>, K, Change<VR>> leftSide() {
    return () -> new ContextualProcessor<>() {
      private KTableValueGetter<K, V2> other;

      @Override
      public void init(ProcessorContext<K, Change<VR>> context) {
        super.init(context);
        other = rightGetter.get();
        other.init(context);
      }

      @Override
      public void process(Record<K, Change<V1>> r) {
        if (r.key() == null) {
          internal().recordDropped();
          return;
        }
        ValueAndTimestamp<V2> o = other.get(r.key());
        V2 ov = ValueAndTimestamp.getValueOrNull(o);
        VR n = join(r.value().newValue(), ov);
        VR old = join(r.value().oldValue(), ov);
        if (n != null || old != null) {
          long ts = o == null ? r.timestamp() : Math.max(r.timestamp(), o.timestamp());
          context.forward(new Record<>(r.key(), new Change<>(n, old), ts, r.headers()));
        }
      }
    };
  }

  /** Processes the right table's changes. */
  ProcessorSupplier<K, Change<V2>, K, Change<VR>> rightSide() {
    return () -> new ContextualProcessor<>() {
      private KTableValueGetter<K, V1> other;

      @Override
      public void init(ProcessorContext<K, Change<VR>> context) {
        super.init(context);
        other = leftGetter.get();
        other.init(context);
      }

      @Override
      public void process(Record<K, Change<V2>> r) {
        if (r.key() == null) {
          internal().recordDropped();
          return;
        }
        ValueAndTimestamp<V1> o = other.get(r.key());
        V1 ov = ValueAndTimestamp.getValueOrNull(o);
        VR n = join(ov, r.value().newValue());
        VR old = join(ov, r.value().oldValue());
        if (n != null || old != null) {
          long ts = o == null ? r.timestamp() : Math.max(r.timestamp(), o.timestamp());
          context.forward(new Record<>(r.key(), new Change<>(n, old), ts, r.headers()));
        }
      }
    };
  }

  /** Forwards both sides' joined changes; with a store, keeps the result and forwards from it. */
  static <K, VR> ProcessorSupplier<K, Change<VR>, K, Change<VR>> merger(String storeName) {
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
      public void process(Record<K, Change<VR>> r) {
        if (store == null) {
          context.forward(r);
          return;
        }
        ValueAndTimestamp<VR> old = store.get(r.key());
        store.put(r.key(), ValueAndTimestamp.make(r.value().newValue(), r.timestamp()));
        forwarder.maybeForward(r.withValue(new Change<>(r.value().newValue(), ValueAndTimestamp.getValueOrNull(old))));
      }
    };
  }

  /** The joined table's value for a key, from both sides' getters. */
  KTableValueGetterSupplier<K, VR> getter() {
    return new KTableValueGetterSupplier<>() {
      @Override
      public KTableValueGetter<K, VR> get() {
        KTableValueGetter<K, V1> l = leftGetter.get();
        KTableValueGetter<K, V2> r = rightGetter.get();
        return new KTableValueGetter<>() {
          @Override
          public void init(ProcessorContext<?, ?> context) {
            l.init(context);
            r.init(context);
          }

          @Override
          public ValueAndTimestamp<VR> get(K key) {
            ValueAndTimestamp<V1> lv = l.get(key);
            ValueAndTimestamp<V2> rv = r.get(key);
            VR joined = join(ValueAndTimestamp.getValueOrNull(lv), ValueAndTimestamp.getValueOrNull(rv));
            long ts = Math.max(lv == null ? 0 : lv.timestamp(), rv == null ? 0 : rv.timestamp());
            return ValueAndTimestamp.make(joined, ts);
          }
        };
      }

      @Override
      public Set<String> storeNames() {
        Set<String> s = new LinkedHashSet<>(leftGetter.storeNames());
        s.addAll(rightGetter.storeNames());
        return s;
      }
    };
  }
}
