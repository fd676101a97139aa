package io.millrace.streams.internals.kstream;

import io.millrace.streams.internals.graph.ProcessorGraphNode;
import io.millrace.streams.kstream.JoinWindows;
import io.millrace.streams.kstream.KStream;
import io.millrace.streams.kstream.StreamJoined;
import io.millrace.streams.state.StoreBuilder;
import io.millrace.streams.state.Stores;
import io.millrace.streams.state.WindowBytesStoreSupplier;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Builds a windowed stream-stream join: both inputs (repartitioned if their keys changed), a
 * window store per side, a shared store of unmatched records for left and outer joins, a join
 * processor per side and a merge of their outputs.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
final class StreamStreamJoinBuilder<K, V1, V2, VR> {
  private final KStreamImpl<K, V1> left;
  private final KStreamImpl<K, V2> right;
  private final BiFunction<? super V1, ? super V2, ? extends VR> joiner;
  private final JoinWindows windows;
  private final StreamJoined<K, V1, V2> sj;

  StreamStreamJoinBuilder(KStreamImpl<K, V1> left, KStreamImpl<K, V2> right,
      BiFunction<? super V1, ? super V2, ? extends VR> joiner, JoinWindows windows, StreamJoined<K, V1, V2> sj) {
    this.left = left;
    this.right = Objects.requireNonNull(right, "other stream");
    this.joiner = Objects.requireNonNull(joiner, "joiner");
    this.windows = Objects.requireNonNull(windows, "windows");
    this.sj = sj;
  }

  KStream<K, VR> build(boolean leftOuter, boolean rightOuter) {
    InternalStreamsBuilder b = left.builder;
    String prefix = rightOuter ? "KSTREAM-OUTER" : leftOuter ? "KSTREAM-LEFT" : "KSTREAM-JOIN";
    String base = sj != null ? (sj.name() != null ? sj.name() : sj.storeName()) : null;
    String thisName = base != null ? base + "-join-this" : b.newProcessorName(prefix + "THIS-");
    String otherName = base != null ? base + "-join-other" : b.newProcessorName(prefix + "OTHER-");
    String storeBase = sj != null && sj.storeName() != null ? sj.storeName() : null;
    String thisStore = storeBase != null ? storeBase + "-this-join-store" : thisName + "-store";
    String otherStore = storeBase != null ? storeBase + "-other-join-store" : otherName + "-store";
    String outerStore = !leftOuter ? null
        : storeBase != null ? storeBase + "-outer-shared-join-store"
        : b.newProcessorName("KSTREAM-OUTERSHARED-") + "-store";

    Serde<K> ks = sj != null && sj.keySerde() != null ? sj.keySerde() : left.keySerde != null ? left.keySerde : right.keySerde;
    Serde<V1> lvs = sj != null && sj.valueSerde() != null ? sj.valueSerde() : left.valueSerde;
    Serde<V2> rvs = sj != null && sj.otherValueSerde() != null ? sj.otherValueSerde() : right.valueSerde;
    KStreamImpl<K, V1> l = left.repartitionedIfRequired(thisName, ks, lvs);
    KStreamImpl<K, V2> r = right.repartitionedIfRequired(otherName, ks, rvs);

    boolean logging = sj == null || sj.loggingEnabled();
    boolean inMemory = sj != null && sj.inMemory();
    StoreBuilder<?> thisStoreBuilder = windowStore(thisStore, ks, lvs, logging, inMemory);
    StoreBuilder<?> otherStoreBuilder = windowStore(otherStore, ks, rvs, logging, inMemory);

    ProcessorGraphNode thisNode = new ProcessorGraphNode(thisName, new KStreamKStreamJoinProcessor<>(
        true, thisStore, otherStore, outerStore, leftOuter, windows, joiner, ks, lvs, rvs));
    ProcessorGraphNode otherNode = new ProcessorGraphNode(otherName, new KStreamKStreamJoinProcessor<>(
        false, otherStore, thisStore, outerStore, rightOuter, windows, joiner, ks, lvs, rvs));
    // Both stores are added with the first processor (written first); the second connects to them.
    thisNode.addStore(thisStoreBuilder).addStore(otherStoreBuilder).copartitionWith(l.node, r.node);
    otherNode.connectStores(java.util.List.of(thisStore, otherStore));
    if (outerStore != null) {
      StoreBuilder<?> outer = Stores.keyValueStoreBuilder(
          inMemory ? Stores.inMemoryKeyValueStore(outerStore) : Stores.persistentKeyValueStore(outerStore),
          Serdes.Bytes(), Serdes.ByteArray());
      if (!logging) {
        outer.withLoggingDisabled();
      }
      thisNode.addStore(outer);
      otherNode.connectStores(java.util.List.of(outerStore));
    }
    b.add(l.node, thisNode);
    b.add(r.node, otherNode);
    String mergeName = base != null ? base + "-join-merge" : b.newProcessorName("KSTREAM-MERGE-");
    ProcessorGraphNode merge = b.add(thisNode, new ProcessorGraphNode(mergeName, StatelessProcessors.passThrough()));
    otherNode.addChild(merge);
    return new KStreamImpl<>(b, merge, ks, null, false);
  }

  private StoreBuilder<?> windowStore(String name, Serde<K> ks, Serde<?> vs, boolean logging, boolean inMemory) {
    Duration retention = Duration.ofMillis(windows.sizeMs() + windows.gracePeriodMs());
    Duration size = Duration.ofMillis(windows.sizeMs());
    WindowBytesStoreSupplier supplier = inMemory
        ? Stores.inMemoryWindowStore(name, retention, size, true)
        : Stores.persistentWindowStore(name, retention, size, true);
    StoreBuilder<?> builder = Stores.windowStoreBuilder(supplier, ks, (Serde) vs);
    if (logging) {
      builder.withLoggingEnabled(Map.of());
    } else {
      builder.withLoggingDisabled();
    }
    return builder;
  }
}
