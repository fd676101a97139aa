package io.millrace.streams.internals.kstream;

import io.millrace.streams.KeyValue;
import io.millrace.streams.kstream.Aggregator;
import io.millrace.streams.kstream.Merger;
import io.millrace.streams.kstream.SessionWindows;
import io.millrace.streams.kstream.Window;
import io.millrace.streams.kstream.Windowed;
import io.millrace.streams.processor.ProcessorContext;
import io.millrace.streams.processor.ProcessorSupplier;
import io.millrace.streams.processor.Record;
import io.millrace.streams.state.KeyValueIterator;
import io.millrace.streams.state.SessionStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session aggregation: a record joins (and merges) every session of its key within the
 * inactivity gap. Merged-away sessions are deleted downstream (a change to null) and the merged
 * session is updated. A record whose merged session would already be closed is dropped.
 */
final class KStreamSessionWindowAggregateProcessor<K, V, VA>
    implements ProcessorSupplier<K, V, Windowed<K>, Change<VA>> {
  private static final Logger log = LoggerFactory.getLogger(KStreamSessionWindowAggregateProcessor.class);
  private final String storeName;
  private final SessionWindows windows;
  private final Supplier<VA> initializer;
  private final Aggregator<? super K, ? super V, VA> aggregator;
  private final Merger<? super K, VA> merger;

  KStreamSessionWindowAggregateProcessor(String storeName, SessionWindows windows, Supplier<VA> initializer,
      Aggregator<? super K, ? super V, VA> aggregator, Merger<? super K, VA> merger) {
    this.storeName = storeName;
    this.windows = windows;
    this.initializer = initializer;
    this.aggregator = aggregator;
    this.merger = merger;
  }

  @Override
  public ContextualProcessor<K, V, Windowed<K>, Change<VA>> get() {
    return new ContextualProcessor<>() {
      private SessionStore<K, VA> store;
      private TupleForwarder<Windowed<K>, VA> forwarder;

      @Override
      public void init(ProcessorContext<Windowed<K>, Change<VA>> context) {
        super.init(context);
        store = context.getStateStore(storeName);
        forwarder = new TupleForwarder<>(store, context);
      }

      @Override
      public void process(Record<K, V> r) {
        if (droppedForNullKeyOrValue(r, "Session aggregation", storeName)) {
          return;
        }
        long ts = r.timestamp();
        long closeTime = context.currentStreamTimeMs() - windows.gracePeriodMs();
        long gap = windows.inactivityGapMs();
        List<KeyValue<Windowed<K>, VA>> merged = new ArrayList<>();
        long start = ts;
        long end = ts;
        VA agg = initializer.get();
        try (KeyValueIterator<Windowed<K>, VA> it = store.findSessions(r.key(), Math.max(0, ts - gap), ts + gap)) {
          while (it.hasNext()) {
            KeyValue<Windowed<K>, VA> s = it.next();
            merged.add(s);
            agg = merger.apply(r.key(), agg, s.value());
            start = Math.min(start, s.key().window().start());
            end = Math.max(end, s.key().window().end());
          }
        }
        if (end < closeTime) {
          log.warn("Session aggregation {}: dropping a record for the closed session [{}, {}] at {}:"
                  + " stream time {} minus grace {} ms is past it",
              storeName, start, end, position(), context.currentStreamTimeMs(), windows.gracePeriodMs());
          internal().recordLateDropped();
          return;
        }
        agg = aggregator.apply(r.key(), r.value(), agg);
        Window mergedWindow = new Window(start, end);
        VA previous = null;
        for (KeyValue<Windowed<K>, VA> s : merged) {
          if (s.key().window().equals(mergedWindow)) {
            previous = s.value();
            continue;
          }
          store.remove(s.key());
          forwarder.maybeForward(new Record<>(s.key(), new Change<>(null, s.value()), ts, r.headers()));
        }
        Windowed<K> key = new Windowed<>(r.key(), mergedWindow);
        store.put(key, agg);
        forwarder.maybeForward(new Record<>(key, new Change<>(agg, previous), ts, r.headers()));
      }
    };
  }
}
