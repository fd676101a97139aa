package io.millrace.streams.internals.kstream;

import io.millrace.streams.processor.ProcessorContext;
import io.millrace.streams.processor.ProcessorSupplier;
import io.millrace.streams.processor.Record;
import io.millrace.streams.state.ValueAndTimestamp;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream-table join: each stream record looks up the table's current value for its key.
 * Inner joins drop records the table has no value for; left joins pass null. Records with a
 * null value are dropped; a null key only passes a left join (with a null table value).
 */
final class KStreamKTableJoinProcessor<K, V, VT, VR> implements ProcessorSupplier<K, V, K, VR> {
  private static final Logger log = LoggerFactory.getLogger(KStreamKTableJoinProcessor.class);
  private final KTableValueGetterSupplier<K, VT> table;
  private final BiFunction<? super V, ? super VT, ? extends VR> joiner;
  private final boolean left;

  KStreamKTableJoinProcessor(KTableValueGetterSupplier<K, VT> table,
      BiFunction<? super V, ? super VT, ? extends VR> joiner, boolean left) {
    this.table = table;
    this.joiner = joiner;
    this.left = left;
  }

  @Override
  public ContextualProcessor<K, V, K, VR> get() {
    return new ContextualProcessor<>() {
      private KTableValueGetter<K, VT> getter;

      @Override
      public void init(ProcessorContext<K, VR> context) {
        super.init(context);
        getter = table.get();
        getter.init(context);
      }

      @Override
      public void process(Record<K, V> r) {
        if (r.value() == null || (r.key() == null && !left)) {
          log.warn("Stream-table join: dropping a record with a null {} at {}",
              r.value() == null ? "value" : "key", position());
          internal().recordDropped();
          return;
        }
        VT t = r.key() == null ? null : ValueAndTimestamp.getValueOrNull(getter.get(r.key()));
        if (t == null && !left) {
          return;
        }
        context.forward(r.withValue((VR) joiner.apply(r.value(), t)));
      }
    };
  }
}
