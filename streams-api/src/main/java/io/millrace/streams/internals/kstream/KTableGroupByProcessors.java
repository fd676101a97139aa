package io.millrace.streams.internals.kstream;

import io.millrace.streams.KeyValue;
import io.millrace.streams.kstream.Aggregator;
import io.millrace.streams.processor.ProcessorContext;
import io.millrace.streams.processor.ProcessorSupplier;
import io.millrace.streams.processor.Record;
import io.millrace.streams.state.TimestampedKeyValueStore;
import io.millrace.streams.state.ValueAndTimestamp;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A table's groupBy: re-keying each change into a subtraction from the old group and an
 * addition to the new one, and the aggregation applying them.
 */
final class KTableGroupByProcessors {
  private static final Logger log = LoggerFactory.getLogger(KTableGroupByProcessors.class);

  private KTableGroupByProcessors() {}

  /** Emits {@code (oldKey, Change(null, old))} then {@code (newKey, Change(new, null))}. */
  static <K, V, KR, VR> ProcessorSupplier<K, Change<V>, KR, Change<VR>> select(
      BiFunction<? super K, ? super V, KeyValue<KR, VR>> selector) {
    return () -> new ContextualProcessor<>() {
      @Override
      public void process(Record<K, Change<V>> r) {
        if (r.value().oldValue() != null) {
          KeyValue<KR, VR> old = selector.apply(r.key(), r.value().oldValue());
          if (old != null && old.key() != null) {
            context.forward(new Record<>(old.key(), new Change<>(null, old.value()), r.timestamp(), r.headers()));
          }
        }
        if (r.value().newValue() != null) {
          KeyValue<KR, VR> now = selector.apply(r.key(), r.value().newValue());
          if (now != null && now.key() != null) {
            context.forward(new Record<>(now.key(), new Change<>(now.value(), null), r.timestamp(), r.headers()));
          }
        }
      }
    };
  }

  /** Applies subtract-then-add to the group's aggregate, as Kafka Streams' KTableAggregate. */
  static <K, V, VA> ProcessorSupplier<K, Change<V>, K, Change<VA>> aggregate(
      String storeName,
      Supplier<VA> initializer,
      Aggregator<? super K, ? super V, VA> adder,
      Aggregator<? super K, ? super V, VA> subtractor) {
    return () -> new ContextualProcessor<>() {
      private TimestampedKeyValueStore<K, VA> store;
      private TupleForwarder<K, VA> forwarder;

      @Override
      public void init(ProcessorContext<K, Change<VA>> context) {
        super.init(context);
        store = context.getStateStore(storeName);
        forwarder = new TupleForwarder<>(store, context);
      }

      @Override
      public void process(Record<K, Change<V>> r) {
        if (r.key() == null) {
          log.warn("Aggregation {}: dropping a change with a null key at {}", storeName, position());
          internal().recordDropped();
          return;
        }
        ValueAndTimestamp<VA> old = store.get(r.key());
        VA oldAgg = ValueAndTimestamp.getValueOrNull(old);
        VA agg = oldAgg;
        if (r.value().oldValue() != null && oldAgg != null) {
          agg = subtractor.apply(r.key(), r.value().oldValue(), oldAgg);
        }
        if (r.value().newValue() != null) {
          agg = adder.apply(r.key(), r.value().newValue(), agg == null ? initializer.get() : agg);
        }
        long ts = old == null ? r.timestamp() : Math.max(r.timestamp(), old.timestamp());
        store.put(r.key(), ValueAndTimestamp.make(agg, ts));
        forwarder.maybeForward(new Record<>(r.key(), new Change<>(agg, oldAgg), ts, r.headers()));
      }
    };
  }
}
