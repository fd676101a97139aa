package io.millrace.streams.internals.graph;

import io.millrace.streams.internals.topology.InternalTopologyBuilder;
import io.millrace.streams.processor.ProcessorSupplier;
import io.millrace.streams.state.StoreBuilder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A processor: with the stores it adds, the existing stores it connects to, and (for joins)
 * the upstream nodes whose source topics must be co-partitioned.
 *
 * <p>Threading: built on one thread while the topology is described (the {@code StreamsBuilder}'s),
 * read-only afterwards.
 */
public final class ProcessorGraphNode extends GraphNode {
  private final ProcessorSupplier<?, ?, ?, ?> supplier;
  private final List<StoreBuilder<?>> stores = new ArrayList<>();
  private final Set<String> connectedStores = new LinkedHashSet<>();
  private final List<GraphNode> copartitioned = new ArrayList<>();

  public ProcessorGraphNode(String name, ProcessorSupplier<?, ?, ?, ?> supplier) {
    super(name);
    this.supplier = supplier;
  }

  public ProcessorGraphNode addStore(StoreBuilder<?> store) {
    stores.add(store);
    return this;
  }

  public ProcessorGraphNode connectStores(Iterable<String> storeNames) {
    storeNames.forEach(connectedStores::add);
    return this;
  }

  /** The records of these nodes meet in this processor: their topics must be co-partitioned. */
  public ProcessorGraphNode copartitionWith(GraphNode... nodes) {
    copartitioned.addAll(List.of(nodes));
    return this;
  }

  @Override
  public void writeTo(InternalTopologyBuilder builder) {
    builder.addProcessor(name(), supplier, parentOutputs());
    for (StoreBuilder<?> s : stores) {
      builder.addStateStore(s, name());
    }
    if (!connectedStores.isEmpty()) {
      builder.connectProcessorAndStores(List.of(name()), connectedStores);
    }
    if (!copartitioned.isEmpty()) {
      Set<String> topics = new LinkedHashSet<>();
      copartitioned.forEach(n -> topics.addAll(n.sourceTopics()));
      builder.copartition(topics);
    }
  }
}
