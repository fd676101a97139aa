package io.millrace.streams.internals.kstream;

import io.millrace.streams.KeyValue;
import io.millrace.streams.kstream.Aggregator;
import io.millrace.streams.kstream.SlidingWindows;
import io.millrace.streams.kstream.Window;
import io.millrace.streams.kstream.Windowed;
import io.millrace.streams.processor.ProcessorContext;
import io.millrace.streams.processor.ProcessorSupplier;
import io.millrace.streams.processor.Record;
import io.millrace.streams.state.KeyValueIterator;
import io.millrace.streams.state.TimestampedWindowStore;
import io.millrace.streams.state.ValueAndTimestamp;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aggregation over sliding windows, Kafka Streams' algorithm: windows exist only where records
 * are. A record at {@code t} gets its "left" window {@code [t - d, t]}; a window {@code [t + 1,
 * t + 1 + d]} (its "right" window) exists once a later record falls in it. Each window's value
 * carries the largest record timestamp in it, which is how a new window's aggregate is derived
 * from a neighbour without keeping the raw records: a new left window takes the aggregate of
 * the right window of the previous record (the records in {@code [t - d, t)}), a new right
 * window takes that of a window holding the records after {@code t}.
 */
final class KStreamSlidingWindowAggregateProcessor<K, V, VA>
    implements ProcessorSupplier<K, V, Windowed<K>, Change<VA>> {
  private static final Logger log = LoggerFactory.getLogger(KStreamSlidingWindowAggregateProcessor.class);
  private final String storeName;
  private final SlidingWindows windows;
  private final Supplier<VA> initializer;
  private final Aggregator<? super K, ? super V, VA> aggregator;

  KStreamSlidingWindowAggregateProcessor(String storeName, SlidingWindows windows, Supplier<VA> initializer,
      Aggregator<? super K, ? super V, VA> aggregator) {
    this.storeName = storeName;
    this.windows = windows;
    this.initializer = initializer;
    this.aggregator = aggregator;
  }

  @Override
  public ContextualProcessor<K, V, Windowed<K>, Change<VA>> get() {
    return new SlidingProcessor();
  }

  private final class SlidingProcessor extends ContextualProcessor<K, V, Windowed<K>, Change<VA>> {
    private TimestampedWindowStore<K, VA> store;
    private TupleForwarder<Windowed<K>, VA> forwarder;
    private long d;

    @Override
    public void init(ProcessorContext<Windowed<K>, Change<VA>> context) {
      super.init(context);
      store = context.getStateStore(storeName);
      forwarder = new TupleForwarder<>(store, context);
      d = windows.timeDifferenceMs();
    }

    @Override
    public void process(Record<K, V> r) {
      if (droppedForNullKeyOrValue(r, "Sliding aggregation", storeName)) {
        return;
      }
      long t = r.timestamp();
      long closeTime = context.currentStreamTimeMs() - windows.gracePeriodMs();
      if (t + 1 + d <= closeTime) {
        log.warn("Sliding aggregation {}: dropping a record at {} for closed windows: timestamp {},"
            + " stream time {}, grace {} ms", storeName, position(), t, context.currentStreamTimeMs(),
            windows.gracePeriodMs());
        internal().recordLateDropped();
        return;
      }
      if (t < d) {
        processEarly(r, closeTime);
      } else {
        processInOrder(r, closeTime);
      }
    }

    private void processInOrder(Record<K, V> r, long closeTime) {
      long t = r.timestamp();
      Set<Long> starts = new HashSet<>();
      ValueAndTimestamp<VA> leftAgg = null;
      ValueAndTimestamp<VA> rightAgg = null;
      boolean leftExists = false;
      boolean rightExists = false;
      Long previousTs = null;
      try (KeyValueIterator<Windowed<K>, ValueAndTimestamp<VA>> it =
          store.fetch(r.key(), r.key(), Math.max(0, t - 2 * d), t + 1)) {
        while (it.hasNext()) {
          KeyValue<Windowed<K>, ValueAndTimestamp<VA>> w = it.next();
          long start = w.key().window().start();
          long end = start + d;
          long maxTs = w.value().timestamp();
          starts.add(start);
          if (end < t) {
            leftAgg = w.value();
            previousTs = maxTs;
          } else if (end == t) {
            leftExists = true;
            if (maxTs < t) {
              previousTs = maxTs;
            }
            update(r, start, w.value(), closeTime, false);
          } else if (start <= t) {
            rightAgg = w.value();
            update(r, start, w.value(), closeTime, false);
          } else if (start == t + 1) {
            rightExists = true;
          }
        }
      }
      if (previousTs != null && !starts.contains(previousTs + 1) && previousTs + 1 + d >= t) {
        update(r, previousTs + 1, null, closeTime, true);
      }
      if (!leftExists) {
        boolean leftNotEmpty = previousTs != null && t - d <= previousTs;
        ValueAndTimestamp<VA> base = leftNotEmpty
            ? new ValueAndTimestamp<>(leftAgg.value(), t)
            : null;
        update(r, t - d, base, closeTime, true);
      }
      if (!rightExists && rightAgg != null && rightAgg.timestamp() > t) {
        createRightWindow(r, rightAgg);
      }
    }

    /** Records before {@code d}: they share the window {@code [0, d]}. */
    private void processEarly(Record<K, V> r, long closeTime) {
      long t = r.timestamp();
      KeyValue<Windowed<K>, ValueAndTimestamp<VA>> combined = null;
      ValueAndTimestamp<VA> rightAgg = null;
      boolean rightExists = false;
      Set<Long> starts = new HashSet<>();
      Long previousTs = null;
      try (KeyValueIterator<Windowed<K>, ValueAndTimestamp<VA>> it = store.fetch(r.key(), r.key(), 0, t + 1)) {
        while (it.hasNext()) {
          KeyValue<Windowed<K>, ValueAndTimestamp<VA>> w = it.next();
          long start = w.key().window().start();
          long maxTs = w.value().timestamp();
          starts.add(start);
          if (start == 0) {
            combined = w;
            if (maxTs < t) {
              previousTs = maxTs;
            }
          } else if (start <= t) {
            rightAgg = w.value();
            update(r, start, w.value(), closeTime, false);
          } else if (start == t + 1) {
            rightExists = true;
          }
        }
      }
      if (rightAgg == null && combined != null && combined.value().timestamp() > t) {
        rightAgg = combined.value();
      }
      if (!rightExists && rightAgg != null && rightAgg.timestamp() > t) {
        createRightWindow(r, rightAgg);
      }
      if (previousTs != null && !starts.contains(previousTs + 1)) {
        update(r, previousTs + 1, null, closeTime, true);
      }
      update(r, 0, combined == null ? null : combined.value(), closeTime, combined == null);
    }

    private void createRightWindow(Record<K, V> r, ValueAndTimestamp<VA> agg) {
      long start = r.timestamp() + 1;
      store.put(r.key(), agg, start);
      forwarder.maybeForward(new Record<>(new Windowed<>(r.key(), new Window(start, start + d)),
          new Change<>(agg.value(), null), agg.timestamp(), r.headers()));
    }

    /**
     * Folds the record into the window starting at {@code start}, whose value is {@code old}
     * ({@code created}: a new window seeded from a neighbour, so downstream sees no old value).
     */
    private void update(Record<K, V> r, long start, ValueAndTimestamp<VA> old, long closeTime, boolean created) {
      long end = start + d;
      if (end < closeTime) {
        log.warn("Sliding aggregation {}: dropping a record at {} for the closed window [{}, {}]",
            storeName, position(), start, end);
        internal().recordLateDropped();
        return;
      }
      VA oldAgg = ValueAndTimestamp.getValueOrNull(old);
      VA newAgg = aggregator.apply(r.key(), r.value(), oldAgg == null ? initializer.get() : oldAgg);
      long ts = oldAgg == null ? r.timestamp() : Math.max(r.timestamp(), old.timestamp());
      store.put(r.key(), ValueAndTimestamp.make(newAgg, ts), start);
      forwarder.maybeForward(new Record<>(new Windowed<>(r.key(), new Window(start, end)),
          new Change<>(newAgg, created ? null : oldAgg), ts, r.headers()));
    }
  }
}
