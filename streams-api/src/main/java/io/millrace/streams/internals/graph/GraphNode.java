package io.millrace.streams.internals.graph;

import io.millrace.streams.internals.topology.InternalTopologyBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A node of the DSL's logical graph. The DSL adds nodes as operations are called; {@link
 * LogicalGraph#buildInto} optimises the graph and then writes each node into the physical
 * topology, parents first.
 *
 * <p>Threading: built on one thread while the topology is described (the {@code StreamsBuilder}'s),
 * read-only afterwards.
 */
public abstract class GraphNode {
  private final String name;
  private final List<GraphNode> parents = new ArrayList<>();
  private final List<GraphNode> children = new ArrayList<>();
  private boolean keyChanging;
  int order;

  protected GraphNode(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  /** The physical node that children attach to (a repartition's source, a table's processor). */
  public String outputName() {
    return name;
  }

  public List<GraphNode> parents() {
    return Collections.unmodifiableList(parents);
  }

  public List<GraphNode> children() {
    return Collections.unmodifiableList(children);
  }

  public void addChild(GraphNode child) {
    children.add(child);
    child.parents.add(this);
  }

  void removeChild(GraphNode child) {
    children.remove(child);
    child.parents.remove(this);
  }

  /** True if this node may change keys, so a later key-based operation must repartition. */
  public boolean keyChanging() {
    return keyChanging;
  }

  public void setKeyChanging(boolean keyChanging) {
    this.keyChanging = keyChanging;
  }

  /** The topics the records reaching this node were read from, within its sub-topology. */
  public Set<String> sourceTopics() {
    Set<String> topics = new LinkedHashSet<>();
    parents.forEach(p -> topics.addAll(p.sourceTopics()));
    return topics;
  }

  /** Adds this node's physical nodes, stores and topics. */
  public abstract void writeTo(InternalTopologyBuilder builder);

  /** Names of the physical nodes of the parents, for attaching to them. */
  protected String[] parentOutputs() {
    return parents.stream().map(GraphNode::outputName).toArray(String[]::new);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(" + name + ")";
  }
}
