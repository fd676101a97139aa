package io.millrace.streams.internals.kstream;

import io.millrace.streams.kstream.Aggregator;
import io.millrace.streams.kstream.TimeWindows;
import io.millrace.streams.kstream.Window;
import io.millrace.streams.kstream.Windowed;
import io.millrace.streams.processor.ProcessorContext;
import io.millrace.streams.processor.ProcessorSupplier;
import io.millrace.streams.processor.Record;
import io.millrace.streams.state.TimestampedWindowStore;
import io.millrace.streams.state.ValueAndTimestamp;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aggregation over tumbling or hopping windows. A record updates every window it falls in that
 * is still open: a window closes when stream time reaches its end plus the grace period; a
 * record only for closed windows is dropped, logged and counted.
 */
final class KStreamWindowAggregateProcessor<K, V, VA>
    implements ProcessorSupplier<K, V, Windowed<K>, Change<VA>> {
  private static final Logger log = LoggerFactory.getLogger(KStreamWindowAggregateProcessor.class);
  private final String storeName;
  private final TimeWindows windows;
  private final Supplier<VA> initializer;
  private final Aggregator<? super K, ? super V, VA> aggregator;

  KStreamWindowAggregateProcessor(String storeName, TimeWindows windows, Supplier<VA> initializer,
      Aggregator<? super K, ? super V, VA> aggregator) {
    this.storeName = storeName;
    this.windows = windows;
    this.initializer = initializer;
    this.aggregator = aggregator;
  }

  @Override
  public ContextualProcessor<K, V, Windowed<K>, Change<VA>> get() {
    return new ContextualProcessor<>() {
      private TimestampedWindowStore<K, VA> store;
      private TupleForwarder<Windowed<K>, VA> forwarder;

      @Override
      public void init(ProcessorContext<Windowed<K>, Change<VA>> context) {
        super.init(context);
        store = context.getStateStore(storeName);
        forwarder = new TupleForwarder<>(store, context);
      }

      @Override
      public void process(Record<K, V> r) {
        if (droppedForNullKeyOrValue(r, "Windowed aggregation", storeName)) {
          return;
        }
        long closeTime = context.currentStreamTimeMs() - windows.gracePeriodMs();
        for (Map.Entry<Long, Window> e : windows.windowsFor(r.timestamp()).entrySet()) {
          Window w = e.getValue();
          if (w.end() <= closeTime) {
            log.warn("Windowed aggregation {}: dropping a record for the closed window [{}, {}) at {}:"
                    + " its timestamp {} is before stream time {} minus grace {} ms",
                storeName, w.start(), w.end(), position(), r.timestamp(), context.currentStreamTimeMs(),
                windows.gracePeriodMs());
            internal().recordLateDropped();
            continue;
          }
          ValueAndTimestamp<VA> old = store.fetch(r.key(), w.start());
          VA oldAgg = ValueAndTimestamp.getValueOrNull(old);
          VA newAgg = aggregator.apply(r.key(), r.value(), oldAgg == null ? initializer.get() : oldAgg);
          long ts = old == null ? r.timestamp() : Math.max(r.timestamp(), old.timestamp());
          store.put(r.key(), ValueAndTimestamp.make(newAgg, ts), w.start());
          forwarder.maybeForward(new Record<>(new Windowed<>(r.key(), w), new Change<>(newAgg, oldAgg), ts, r.headers()));
        }
      }
    };
  }
}
