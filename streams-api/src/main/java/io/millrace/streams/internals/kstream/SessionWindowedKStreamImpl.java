package io.millrace.streams.internals.kstream;

import io.millrace.streams.internals.graph.GraphNode;
import io.millrace.streams.internals.graph.ProcessorGraphNode;
import io.millrace.streams.kstream.Aggregator;
import io.millrace.streams.kstream.EmitStrategy;
import io.millrace.streams.kstream.KTable;
import io.millrace.streams.kstream.Materialized;
import io.millrace.streams.kstream.Merger;
import io.millrace.streams.kstream.Named;
import io.millrace.streams.kstream.SessionWindowedKStream;
import io.millrace.streams.kstream.SessionWindows;
import io.millrace.streams.kstream.Suppressed;
import io.millrace.streams.kstream.Windowed;
import io.millrace.streams.serde.WindowedSerdes;
import java.util.Objects;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** A grouped stream over session windows. */
final class SessionWindowedKStreamImpl<K, V> implements SessionWindowedKStream<K, V> {
  private final KGroupedStreamImpl<K, V> grouped;
  private final SessionWindows windows;
  private EmitStrategy emit = EmitStrategy.ON_WINDOW_UPDATE;

  SessionWindowedKStreamImpl(KGroupedStreamImpl<K, V> grouped, SessionWindows windows) {
    this.grouped = grouped;
    this.windows = windows;
  }

  @Override
  public SessionWindowedKStream<K, V> emitStrategy(EmitStrategy strategy) {
    this.emit = Objects.requireNonNull(strategy, "strategy");
    return this;
  }

  private <VA> KTable<Windowed<K>, VA> doAggregate(String prefix, Named named, Materialized<K, VA, ?> m,
      Serde<VA> defaultSerde, Supplier<VA> initializer, Aggregator<? super K, ? super V, VA> aggregator,
      Merger<? super K, VA> merger) {
    InternalStreamsBuilder b = grouped.builder;
    String storeName = StoreFactory.storeName(m, b, prefix);
    GraphNode input = grouped.input(storeName);
    long retention = StoreFactory.retention(m, windows.inactivityGapMs() + windows.gracePeriodMs(),
        "session store " + storeName);
    Serde<K> ks = m != null && m.keySerde() != null ? m.keySerde() : grouped.keySerde;
    Serde<VA> vs = m != null && m.valueSerde() != null ? m.valueSerde() : defaultSerde;
    ProcessorGraphNode n = b.add(input, new ProcessorGraphNode(b.name(named, prefix),
        new KStreamSessionWindowAggregateProcessor<>(storeName, windows, initializer, aggregator, merger))
        .addStore(StoreFactory.session(storeName, m, retention, ks, vs)));
    KTableImpl<Windowed<K>, VA> table = new KTableImpl<>(b, n, ks == null ? null : WindowedSerdes.sessionWindowed(ks),
        vs, m == null ? null : m.storeName(), StoreGetters.window(storeName),
        // a session can grow until stream time passes its end plus the gap, then the grace
        windows.inactivityGapMs() + windows.gracePeriodMs(), ks);
    if (emit == EmitStrategy.ON_WINDOW_CLOSE) {
      return table.suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()));
    }
    return table;
  }

  @Override
  public KTable<Windowed<K>, Long> count(Materialized<K, Long, ?> m) {
    return doAggregate("KSTREAM-AGGREGATE-", null, m, Serdes.Long(), () -> 0L, (k, v, agg) -> agg + 1,
        (k, a, b) -> a + b);
  }

  @Override
  public KTable<Windowed<K>, V> reduce(BinaryOperator<V> reducer, Materialized<K, V, ?> m) {
    Objects.requireNonNull(reducer, "reducer");
    return doAggregate("KSTREAM-REDUCE-", null, m, grouped.valueSerde, () -> null,
        KGroupedStreamImpl.reduceAggregator(reducer), (k, a, b) -> a == null ? b : b == null ? a : reducer.apply(a, b));
  }

  @Override
  public <VA> KTable<Windowed<K>, VA> aggregate(Supplier<VA> initializer, Aggregator<? super K, ? super V, VA> aggregator,
      Merger<? super K, VA> merger, Named named, Materialized<K, VA, ?> m) {
    Objects.requireNonNull(initializer, "initializer");
    Objects.requireNonNull(aggregator, "aggregator");
    Objects.requireNonNull(merger, "merger");
    return doAggregate("KSTREAM-AGGREGATE-", named, m, null, initializer, aggregator, merger);
  }
}
