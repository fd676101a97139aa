package io.millrace.streams.internals.kstream;

import io.millrace.streams.internals.graph.GraphNode;
import io.millrace.streams.internals.graph.ProcessorGraphNode;
import io.millrace.streams.kstream.Aggregator;
import io.millrace.streams.kstream.EmitStrategy;
import io.millrace.streams.kstream.KTable;
import io.millrace.streams.kstream.Materialized;
import io.millrace.streams.kstream.Named;
import io.millrace.streams.kstream.SlidingWindows;
import io.millrace.streams.kstream.Suppressed;
import io.millrace.streams.kstream.TimeWindowedKStream;
import io.millrace.streams.kstream.TimeWindows;
import io.millrace.streams.kstream.Windowed;
import io.millrace.streams.processor.ProcessorSupplier;
import io.millrace.streams.serde.WindowedSerdes;
import java.util.Objects;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** A grouped stream over fixed (tumbling, hopping) or sliding windows. */
final class TimeWindowedKStreamImpl<K, V> implements TimeWindowedKStream<K, V> {
  private final KGroupedStreamImpl<K, V> grouped;
  private final TimeWindows timeWindows;
  private final SlidingWindows slidingWindows;
  private EmitStrategy emit = EmitStrategy.ON_WINDOW_UPDATE;

  TimeWindowedKStreamImpl(KGroupedStreamImpl<K, V> grouped, TimeWindows timeWindows, SlidingWindows slidingWindows) {
    this.grouped = grouped;
    this.timeWindows = timeWindows;
    this.slidingWindows = slidingWindows;
  }

  @Override
  public TimeWindowedKStream<K, V> emitStrategy(EmitStrategy strategy) {
    this.emit = Objects.requireNonNull(strategy, "strategy");
    return this;
  }

  private <VA> KTable<Windowed<K>, VA> doAggregate(String prefix, Named named, Materialized<K, VA, ?> m,
      Serde<VA> defaultSerde, Supplier<VA> initializer, Aggregator<? super K, ? super V, VA> aggregator) {
    InternalStreamsBuilder b = grouped.builder;
    String storeName = StoreFactory.storeName(m, b, prefix);
    GraphNode input = grouped.input(storeName);
    String name = b.name(named, prefix);
    long grace;
    long sizeMs;
    long retention;
    ProcessorSupplier<K, V, Windowed<K>, Change<VA>> processor;
    if (timeWindows != null) {
      grace = timeWindows.gracePeriodMs();
      sizeMs = timeWindows.sizeMs();
      retention = StoreFactory.retention(m, sizeMs + grace, "window store " + storeName);
      processor = new KStreamWindowAggregateProcessor<>(storeName, timeWindows, initializer, aggregator);
    } else {
      grace = slidingWindows.gracePeriodMs();
      sizeMs = slidingWindows.timeDifferenceMs();
      retention = StoreFactory.retention(m, 2 * sizeMs + grace, "window store " + storeName);
      processor = new KStreamSlidingWindowAggregateProcessor<>(storeName, slidingWindows, initializer, aggregator);
    }
    Serde<K> ks = m != null && m.keySerde() != null ? m.keySerde() : grouped.keySerde;
    Serde<VA> vs = m != null && m.valueSerde() != null ? m.valueSerde() : defaultSerde;
    ProcessorGraphNode n = b.add(input, new ProcessorGraphNode(name, processor)
        .addStore(StoreFactory.window(storeName, m, retention, sizeMs, ks, vs)));
    Serde<Windowed<K>> windowedSerde = ks == null ? null : WindowedSerdes.timeWindowed(ks, sizeMs);
    KTableImpl<Windowed<K>, VA> table = new KTableImpl<>(b, n, windowedSerde, vs,
        m == null ? null : m.storeName(), StoreGetters.window(storeName), grace, ks);
    if (emit == EmitStrategy.ON_WINDOW_CLOSE) {
      return table.suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()));
    }
    return table;
  }

  @Override
  public KTable<Windowed<K>, Long> count(Named named, Materialized<K, Long, ?> m) {
    return doAggregate("KSTREAM-AGGREGATE-", named, m, Serdes.Long(), () -> 0L, (k, v, agg) -> agg + 1);
  }

  @Override
  public KTable<Windowed<K>, V> reduce(BinaryOperator<V> reducer, Materialized<K, V, ?> m) {
    Objects.requireNonNull(reducer, "reducer");
    return doAggregate("KSTREAM-REDUCE-", null, m, grouped.valueSerde, () -> null,
        KGroupedStreamImpl.reduceAggregator(reducer));
  }

  @Override
  public <VA> KTable<Windowed<K>, VA> aggregate(Supplier<VA> initializer, Aggregator<? super K, ? super V, VA> aggregator,
      Named named, Materialized<K, VA, ?> m) {
    Objects.requireNonNull(initializer, "initializer");
    Objects.requireNonNull(aggregator, "aggregator");
    return doAggregate("KSTREAM-AGGREGATE-", named, m, null, initializer, aggregator);
  }
}
