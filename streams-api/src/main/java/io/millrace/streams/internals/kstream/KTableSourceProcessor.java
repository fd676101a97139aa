package io.millrace.streams.internals.kstream;

import io.millrace.streams.processor.ProcessorContext;
import io.millrace.streams.processor.ProcessorSupplier;
import io.millrace.streams.processor.Record;
import io.millrace.streams.state.TimestampedKeyValueStore;
import io.millrace.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Materializes a stream of updates as a table (builder.table, toTable): each record replaces its
 * key's value in the store, and the change goes downstream.
 */
final class KTableSourceProcessor<K, V> implements ProcessorSupplier<K, V, K, Change<V>> {
  private static final Logger log = LoggerFactory.getLogger(KTableSourceProcessor.class);
  private final String storeName;

  KTableSourceProcessor(String storeName) {
    this.storeName = storeName;
  }

  @Override
  public ContextualProcessor<K, V, K, Change<V>> get() {
    return new ContextualProcessor<>() {
      private TimestampedKeyValueStore<K, V> store;
      private TupleForwarder<K, V> forwarder;

      @Override
      public void init(ProcessorContext<K, Change<V>> context) {
        super.init(context);
        store = context.getStateStore(storeName);
        forwarder = new TupleForwarder<>(store, context);
      }

      @Override
      public void process(Record<K, V> r) {
        if (r.key() == null) {
          log.warn("Table {}: dropping a record with a null key at {}", storeName, position());
          internal().recordDropped();
          return;
        }
        ValueAndTimestamp<V> old = store.get(r.key());
        if (old == null && r.value() == null) {
          return;
        }
        store.put(r.key(), ValueAndTimestamp.make(r.value(), r.timestamp()));
        forwarder.maybeForward(r.withValue(new Change<>(r.value(), ValueAndTimestamp.getValueOrNull(old))));
      }
    };
  }
}
