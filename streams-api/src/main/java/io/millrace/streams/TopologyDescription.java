package io.millrace.streams;

import io.millrace.streams.internals.topology.InternalTopologyBuilder;
import io.millrace.streams.internals.topology.NodeDef;
import io.millrace.streams.internals.topology.StoreDef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a topology is made of: its sub-topologies and their nodes, stores and topics. {@link
 * #toString()} prints it the way Kafka Streams does; {@link #toMermaid()} and {@link #toDot()}
 * draw it (a README renders Mermaid, {@code dot -Tsvg} renders Graphviz).
 *
 * <p>Repartition topics appear by their short name ({@code counts-repartition}); the running
 * application prefixes them with its {@code application.id}.
 *
 * <p>Immutable; thread-safe.
 */
public final class TopologyDescription {

  /** One node. {@code kind} is {@code Source}, {@code Processor} or {@code Sink}. */
  public record Node(
      String name,
      String kind,
      List<String> topics,
      List<String> stores,
      List<String> predecessors,
      List<String> successors) {}

  /** One sub-topology: the unit a task runs. */
  public record Subtopology(int id, List<Node> nodes) {}

  private final List<Subtopology> subtopologies;

  TopologyDescription(InternalTopologyBuilder builder) {
    Map<String, NodeDef> nodes = builder.nodes();
    Map<String, List<String>> children = builder.children();
    Map<String, List<String>> storesOf = new LinkedHashMap<>();
    for (StoreDef s : builder.stores().values()) {
      s.processors().forEach(p -> storesOf.computeIfAbsent(p, k -> new ArrayList<>()).add(s.name()));
    }
    List<Subtopology> subs = new ArrayList<>();
    for (var st : builder.subtopologies()) {
      List<Node> list = new ArrayList<>();
      for (String n : st.nodes()) {
        NodeDef def = nodes.get(n);
        String kind;
        List<String> topics;
        if (def instanceof NodeDef.Source s) {
          kind = "Source";
          topics = s.topics();
        } else if (def instanceof NodeDef.Sink s) {
          kind = "Sink";
          topics = s.topic() != null ? List.of(s.topic()) : List.of();
        } else {
          kind = "Processor";
          topics = List.of();
        }
        list.add(
            new Node(
                n,
                kind,
                topics,
                List.copyOf(storesOf.getOrDefault(n, List.of())),
                def.parents(),
                List.copyOf(children.get(n))));
      }
      subs.add(new Subtopology(st.id(), List.copyOf(list)));
    }
    this.subtopologies = List.copyOf(subs);
  }

  public List<Subtopology> subtopologies() {
    return subtopologies;
  }

  /** Kafka Streams' text form. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Topologies:\n");
    for (Subtopology s : subtopologies) {
      sb.append("   Sub-topology: ").append(s.id()).append('\n');
      for (Node n : s.nodes()) {
        sb.append("    ").append(n.kind()).append(": ").append(n.name());
        switch (n.kind()) {
          case "Source" -> sb.append(" (topics: ").append(n.topics()).append(")");
          case "Sink" -> sb.append(" (topic: ")
              .append(n.topics().isEmpty() ? "<chosen per record>" : n.topics().get(0))
              .append(")");
          default -> sb.append(" (stores: ").append(n.stores()).append(")");
        }
        sb.append('\n');
        if (!n.kind().equals("Sink")) {
          sb.append("      --> ")
              .append(n.successors().isEmpty() ? "none" : String.join(", ", n.successors()))
              .append('\n');
        }
        if (!n.kind().equals("Source")) {
          sb.append("      <-- ").append(String.join(", ", n.predecessors())).append('\n');
        }
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** A Mermaid flowchart: topics as parallelograms, stores as cylinders, one box per sub-topology. */
  public String toMermaid() {
    StringBuilder sb = new StringBuilder("flowchart TD\n");
    Set<String> topics = new LinkedHashSet<>();
    Set<String> stores = new LinkedHashSet<>();
    List<String> edges = new ArrayList<>();
    for (Subtopology s : subtopologies) {
      sb.append("  subgraph sub").append(s.id()).append("[\"Sub-topology ").append(s.id()).append("\"]\n");
      for (Node n : s.nodes()) {
        sb.append("    ").append(id("n", n.name())).append("[\"").append(n.name()).append("\"]\n");
        n.successors().forEach(c -> edges.add(id("n", n.name()) + " --> " + id("n", c)));
        if (n.kind().equals("Source")) {
          n.topics().forEach(t -> {
            topics.add(t);
            edges.add(id("t", t) + " --> " + id("n", n.name()));
          });
        } else if (n.kind().equals("Sink")) {
          n.topics().forEach(t -> {
            topics.add(t);
            edges.add(id("n", n.name()) + " --> " + id("t", t));
          });
        }
        n.stores().forEach(st -> {
          stores.add(st);
          edges.add(id("n", n.name()) + " -.- " + id("s", st));
        });
      }
      sb.append("  end\n");
    }
    topics.forEach(t -> sb.append("  ").append(id("t", t)).append("[/\"").append(t).append("\"/]\n"));
    stores.forEach(s -> sb.append("  ").append(id("s", s)).append("[(\"").append(s).append("\")]\n"));
    edges.forEach(e -> sb.append("  ").append(e).append('\n'));
    return sb.toString();
  }

  /** A Graphviz digraph: topics as parallelograms, stores as cylinders, a cluster per sub-topology. */
  public String toDot() {
    StringBuilder sb = new StringBuilder("digraph topology {\n  rankdir=TB;\n  node [shape=box];\n");
    Set<String> topics = new LinkedHashSet<>();
    Set<String> stores = new LinkedHashSet<>();
    List<String> edges = new ArrayList<>();
    for (Subtopology s : subtopologies) {
      sb.append("  subgraph cluster_").append(s.id()).append(" {\n    label=\"Sub-topology ")
          .append(s.id()).append("\";\n");
      for (Node n : s.nodes()) {
        sb.append("    \"").append(n.name()).append("\";\n");
        n.successors().forEach(c -> edges.add("\"" + n.name() + "\" -> \"" + c + "\""));
        if (n.kind().equals("Source")) {
          n.topics().forEach(t -> {
            topics.add(t);
            edges.add("\"topic:" + t + "\" -> \"" + n.name() + "\"");
          });
        } else if (n.kind().equals("Sink")) {
          n.topics().forEach(t -> {
            topics.add(t);
            edges.add("\"" + n.name() + "\" -> \"topic:" + t + "\"");
          });
        }
        n.stores().forEach(st -> {
          stores.add(st);
          edges.add("\"" + n.name() + "\" -> \"store:" + st + "\" [style=dashed, dir=none]");
        });
      }
      sb.append("  }\n");
    }
    topics.forEach(t -> sb.append("  \"topic:").append(t).append("\" [shape=parallelogram, label=\"")
        .append(t).append("\"];\n"));
    stores.forEach(s -> sb.append("  \"store:").append(s).append("\" [shape=cylinder, label=\"")
        .append(s).append("\"];\n"));
    edges.forEach(e -> sb.append("  ").append(e).append(";\n"));
    return sb.append("}\n").toString();
  }

  private static String id(String prefix, String name) {
    return prefix + "_" + name.replaceAll("[^A-Za-z0-9]", "_");
  }
}
