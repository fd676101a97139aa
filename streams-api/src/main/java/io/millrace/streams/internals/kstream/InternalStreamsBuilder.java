package io.millrace.streams.internals.kstream;

import io.millrace.streams.internals.graph.GraphNode;
import io.millrace.streams.internals.graph.LogicalGraph;
import io.millrace.streams.internals.topology.InternalTopologyBuilder;
import io.millrace.streams.kstream.Named;
import io.millrace.streams.state.StoreBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The DSL's state while a topology is described: the logical graph, the counter behind
 * generated names ({@code KSTREAM-MAPVALUES-0000000001}), and stores added for custom
 * processors.
 *
 * <p>Threading: built on one thread while the topology is described (the {@code StreamsBuilder}'s),
 * read-only afterwards.
 */
public final class InternalStreamsBuilder {
  private final LogicalGraph graph = new LogicalGraph();
  private final List<StoreBuilder<?>> userStores = new ArrayList<>();
  private int index;

  public String newProcessorName(String prefix) {
    return prefix + String.format("%010d", index++);
  }

  public String newStoreName(String prefix) {
    return prefix + "STATE-STORE-" + String.format("%010d", index++);
  }

  /** The user's name if given, else a generated one. */
  String name(Named named, String prefix) {
    return named != null && named.name() != null ? named.name() : newProcessorName(prefix);
  }

  <N extends GraphNode> N add(GraphNode parent, N node) {
    parent.addChild(node);
    return graph.add(node);
  }

  <N extends GraphNode> N addRoot(N node) {
    return graph.add(node);
  }

  public void addStateStore(StoreBuilder<?> store) {
    userStores.add(store);
  }

  /** Writes the (optimised) graph into a physical topology. */
  public void buildInto(InternalTopologyBuilder builder, boolean optimize) {
    for (StoreBuilder<?> s : userStores) {
      builder.addStateStore(s);
    }
    graph.buildInto(builder, optimize);
  }
}
