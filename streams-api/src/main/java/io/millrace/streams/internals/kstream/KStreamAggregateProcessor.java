package io.millrace.streams.internals.kstream;

import io.millrace.streams.kstream.Aggregator;
import io.millrace.streams.processor.ProcessorContext;
import io.millrace.streams.processor.ProcessorSupplier;
import io.millrace.streams.processor.Record;
import io.millrace.streams.state.TimestampedKeyValueStore;
import io.millrace.streams.state.ValueAndTimestamp;
import java.util.function.Supplier;

/**
 * count, reduce and aggregate of a grouped stream: folds each record into its key's aggregate.
 * Records with a null key or value are dropped (and counted), as in Kafka Streams. For reduce
 * the initializer gives null and the aggregator takes the first value as it is.
 */
final class KStreamAggregateProcessor<K, V, VA> implements ProcessorSupplier<K, V, K, Change<VA>> {
  private final String storeName;
  private final Supplier<VA> initializer;
  private final Aggregator<? super K, ? super V, VA> aggregator;

  KStreamAggregateProcessor(String storeName, Supplier<VA> initializer, Aggregator<? super K, ? super V, VA> aggregator) {
    this.storeName = storeName;
    this.initializer = initializer;
    this.aggregator = aggregator;
  }

  @Override
  public ContextualProcessor<K, V, K, Change<VA>> get() {
    return new ContextualProcessor<>() {
      private TimestampedKeyValueStore<K, VA> store;
      private TupleForwarder<K, VA> forwarder;

      @Override
      public void init(ProcessorContext<K, Change<VA>> context) {
        super.init(context);
        store = context.getStateStore(storeName);
        forwarder = new TupleForwarder<>(store, context);
      }

      @Override
      public void process(Record<K, V> r) {
        if (droppedForNullKeyOrValue(r, "Aggregation", storeName)) {
          return;
        }
        ValueAndTimestamp<VA> old = store.get(r.key());
        VA oldAgg = ValueAndTimestamp.getValueOrNull(old);
        VA newAgg = aggregator.apply(r.key(), r.value(), oldAgg == null ? initializer.get() : oldAgg);
        long ts = old == null ? r.timestamp() : Math.max(r.timestamp(), old.timestamp());
        store.put(r.key(), ValueAndTimestamp.make(newAgg, ts));
        forwarder.maybeForward(new Record<>(r.key(), new Change<>(newAgg, oldAgg), ts, r.headers()));
      }
    };
  }
}
