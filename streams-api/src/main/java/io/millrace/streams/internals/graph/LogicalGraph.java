package io.millrace.streams.internals.graph;

import io.millrace.streams.internals.topology.InternalTopologyBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DSL's logical graph: nodes in the order the DSL made them (parents always first). Built
 * into a physical topology after optional optimisation.
 *
 * <p>The optimisation (on unless {@code topology.optimization=none}) merges repartitions: when
 * one re-keyed stream is grouped or joined several times, each operation would write it through
 * its own repartition topic; writing it once and reading that topic for all of them halves (or
 * better) the traffic. Repartitions of the same parent that write the same way are merged into
 * the first one.
 *
 * <p>Threading: built on one thread while the topology is described (the {@code StreamsBuilder}'s),
 * read-only afterwards.
 */
public final class LogicalGraph {
  private static final Logger log = LoggerFactory.getLogger(LogicalGraph.class);
  private final List<GraphNode> nodes = new ArrayList<>();

  public <N extends GraphNode> N add(N node) {
    node.order = nodes.size();
    nodes.add(node);
    return node;
  }

  public List<GraphNode> nodes() {
    return List.copyOf(nodes);
  }

  /** Optimises (if asked) and writes every node into {@code builder}. */
  public void buildInto(InternalTopologyBuilder builder, boolean optimize) {
    if (optimize) {
      mergeRepartitions();
    }
    List<GraphNode> ordered = new ArrayList<>(nodes);
    ordered.sort(Comparator.comparingInt(n -> n.order));
    for (GraphNode n : ordered) {
      n.writeTo(builder);
    }
  }

  private void mergeRepartitions() {
    for (GraphNode parent : List.copyOf(nodes)) {
      List<RepartitionNode> repartitions = new ArrayList<>();
      for (GraphNode c : parent.children()) {
        if (c instanceof RepartitionNode r && nodes.contains(r)) {
          repartitions.add(r);
        }
      }
      for (int i = 0; i < repartitions.size(); i++) {
        RepartitionNode keep = repartitions.get(i);
        for (int j = repartitions.size() - 1; j > i; j--) {
          RepartitionNode dup = repartitions.get(j);
          if (!keep.sameWriteAs(dup)) {
            continue;
          }
          log.debug("Merging repartition {} into {}", dup.topic(), keep.topic());
          for (GraphNode child : List.copyOf(dup.children())) {
            dup.removeChild(child);
            keep.addChild(child);
          }
          parent.removeChild(dup);
          nodes.remove(dup);
          repartitions.remove(j);
        }
      }
    }
  }
}
