package io.millrace.streams.internals.kstream;

import io.millrace.streams.internals.graph.StreamSourceNode;
import io.millrace.streams.internals.graph.TableSourceNode;
import io.millrace.streams.kstream.Consumed;
import io.millrace.streams.kstream.KStream;
import io.millrace.streams.kstream.KTable;
import io.millrace.streams.kstream.Materialized;
import org.apache.kafka.common.serialization.Serde;

/**
 * Where the DSL's streams and tables start.
 *
 * <p>Threading: built on one thread while the topology is described (the {@code StreamsBuilder}'s),
 * read-only afterwards.
 */
public final class DslSources {
  private DslSources() {}

  public static <K, V> KStream<K, V> stream(InternalStreamsBuilder builder, StreamSourceNode node, Consumed<K, V> c) {
    builder.addRoot(node);
    return new KStreamImpl<>(builder, node, c == null ? null : c.keySerde(), c == null ? null : c.valueSerde(), false);
  }

  public static <K, V> KTable<K, V> table(InternalStreamsBuilder builder, String topic, Consumed<K, V> c,
      Materialized<K, V, ?> m) {
    String sourceName = c != null && c.name() != null ? c.name() : builder.newProcessorName("KSTREAM-SOURCE-");
    String storeName = StoreFactory.storeName(m, builder, topic + "-");
    String processorName = builder.newProcessorName("KTABLE-SOURCE-");
    Serde<K> ks = m != null && m.keySerde() != null ? m.keySerde() : c == null ? null : c.keySerde();
    Serde<V> vs = m != null && m.valueSerde() != null ? m.valueSerde() : c == null ? null : c.valueSerde();
    TableSourceNode node = builder.addRoot(new TableSourceNode(sourceName, processorName, topic,
        c == null ? null : c.keySerde(), c == null ? null : c.valueSerde(),
        c == null ? null : c.timestampExtractor(), c == null ? null : c.offsetReset(),
        new KTableSourceProcessor<K, V>(storeName), StoreFactory.keyValue(storeName, m, ks, vs)));
    return new KTableImpl<>(builder, node, ks, vs, m == null ? null : m.storeName(),
        StoreGetters.keyValue(storeName), -1, null);
  }
}
