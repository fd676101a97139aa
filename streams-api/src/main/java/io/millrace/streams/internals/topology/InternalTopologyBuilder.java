package io.millrace.streams.internals.topology;

import io.millrace.streams.errors.TopologyException;
import io.millrace.streams.processor.ProcessorSupplier;
import io.millrace.streams.state.StoreBuilder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The physical topology as declared: sources, processors, sinks, stores, internal topics and
 * co-partitioning, checked as they are added. Splits itself into {@link Subtopology
 * sub-topologies}: the parts connected by parent edges or shared stores.
 *
 * <p>Topic names here are as the topology knows them; repartition topics are short names that
 * the runtime prefixes with the application id ({@link #resolveTopic}).
 *
 * <p>Threading: built on one thread, then only read.
 */
public final class InternalTopologyBuilder {
  private final LinkedHashMap<String, NodeDef> nodes = new LinkedHashMap<>();
  private final LinkedHashMap<String, StoreDef> stores = new LinkedHashMap<>();
  private final Map<String, String> sourceNodeByTopic = new HashMap<>();
  private final LinkedHashMap<String, InternalTopicDef> internalTopics = new LinkedHashMap<>();
  private final List<Set<String>> copartitionGroups = new ArrayList<>();
  private List<Subtopology> subtopologies;

  public synchronized void addSource(NodeDef.Source source) {
    requireNewName(source.name());
    if (source.topics().isEmpty()) {
      throw new TopologyException("source " + source.name() + " reads no topic");
    }
    for (String t : source.topics()) {
      requireTopicName(t);
      String other = sourceNodeByTopic.get(t);
      if (other != null) {
        throw new TopologyException(
            "topic " + t + " is read by two sources, " + other + " and " + source.name()
                + "; read it once and branch the stream instead");
      }
    }
    source.topics().forEach(t -> sourceNodeByTopic.put(t, source.name()));
    add(source);
  }

  public synchronized void addProcessor(String name, ProcessorSupplier<?, ?, ?, ?> supplier, String... parents) {
    requireNewName(name);
    if (supplier == null) {
      throw new TopologyException("processor " + name + " has no supplier");
    }
    List<String> ps = requireParents(name, parents);
    add(new NodeDef.Processing(name, supplier, ps));
    for (StoreBuilder<?> s : supplier.stores()) {
      addStateStore(s, name);
    }
  }

  public synchronized void addSink(NodeDef.Sink sink) {
    requireNewName(sink.name());
    if (sink.topic() == null && sink.topicExtractor() == null) {
      throw new TopologyException("sink " + sink.name() + " has no topic");
    }
    if (sink.topic() != null) {
      requireTopicName(sink.topic());
    }
    requireParents(sink.name(), sink.parents().toArray(String[]::new));
    add(sink);
  }

  public synchronized void addStateStore(StoreBuilder<?> builder, String... processorNames) {
    StoreDef def = stores.get(builder.name());
    if (def != null && def.builder() != builder) {
      throw new TopologyException("two different stores are named " + builder.name());
    }
    if (def == null) {
      def = new StoreDef(builder);
      stores.put(builder.name(), def);
    }
    connectProcessorAndStores(List.of(processorNames), List.of(builder.name()));
  }

  public synchronized void connectProcessorAndStores(Collection<String> processors, Collection<String> storeNames) {
    for (String s : storeNames) {
      StoreDef def = stores.get(s);
      if (def == null) {
        throw new TopologyException("store " + s + " is not added to the topology");
      }
      for (String p : processors) {
        if (!(nodes.get(p) instanceof NodeDef.Processing)) {
          throw new TopologyException("store " + s + " can only be connected to a processor, not " + p);
        }
        def.processors().add(p);
      }
    }
    subtopologies = null;
  }

  /** Declares a repartition topic (short name) with a partition count, or -1 for automatic. */
  public synchronized void addInternalTopic(String name, int partitions) {
    requireTopicName(name);
    internalTopics.put(name, new InternalTopicDef(name, partitions));
  }

  /** Source topics that must have the same partition count (the inputs of a join). */
  public synchronized void copartition(Collection<String> sourceTopics) {
    copartitionGroups.add(Collections.unmodifiableSet(new LinkedHashSet<>(sourceTopics)));
  }

  private void add(NodeDef node) {
    nodes.put(node.name(), node);
    subtopologies = null;
  }

  private void requireNewName(String name) {
    if (name == null || name.isBlank()) {
      throw new TopologyException("a node needs a name");
    }
    if (nodes.containsKey(name)) {
      throw new TopologyException("a node named " + name + " already exists");
    }
  }

  private static void requireTopicName(String topic) {
    if (topic == null || topic.isEmpty() || topic.length() > 249
        || !topic.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '.' || c == '_' || c == '-')) {
      throw new TopologyException(
          "'" + topic + "' is not a legal topic name (1-249 of a-z A-Z 0-9 . _ -)");
    }
  }

  private List<String> requireParents(String name, String... parents) {
    if (parents == null || parents.length == 0) {
      throw new TopologyException(name + " needs at least one parent");
    }
    for (String p : parents) {
      NodeDef parent = nodes.get(p);
      if (parent == null) {
        throw new TopologyException("parent " + p + " of " + name + " does not exist (add it first)");
      }
      if (parent instanceof NodeDef.Sink) {
        throw new TopologyException("sink " + p + " cannot be the parent of " + name);
      }
    }
    return List.of(parents);
  }

  public synchronized Map<String, NodeDef> nodes() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
  }

  public synchronized Map<String, StoreDef> stores() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(stores));
  }

  public synchronized Map<String, InternalTopicDef> internalTopics() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(internalTopics));
  }

  public synchronized List<Set<String>> copartitionGroups() {
    return List.copyOf(copartitionGroups);
  }

  /** The full topic name: internal topics get {@code <applicationId>-} in front. */
  public String resolveTopic(String applicationId, String topic) {
    return internalTopics.containsKey(topic) ? applicationId + "-" + topic : topic;
  }

  public boolean isInternalTopic(String topic) {
    return internalTopics.containsKey(topic);
  }

  /** The children of each node, in declaration order. */
  public synchronized Map<String, List<String>> children() {
    Map<String, List<String>> children = new LinkedHashMap<>();
    nodes.keySet().forEach(n -> children.put(n, new ArrayList<>()));
    nodes.values().forEach(n -> n.parents().forEach(p -> children.get(p).add(n.name())));
    return children;
  }

  /** The sub-topologies, numbered in order of their first declared node. */
  public synchronized List<Subtopology> subtopologies() {
    if (subtopologies == null) {
      subtopologies = computeSubtopologies();
    }
    return subtopologies;
  }

  private List<Subtopology> computeSubtopologies() {
    Map<String, String> root = new HashMap<>();
    nodes.keySet().forEach(n -> root.put(n, n));
    for (NodeDef n : nodes.values()) {
      n.parents().forEach(p -> union(root, n.name(), p));
    }
    for (StoreDef s : stores.values()) {
      String first = null;
      for (String p : s.processors()) {
        if (first == null) {
          first = p;
        } else {
          union(root, first, p);
        }
      }
    }
    Map<String, List<String>> members = new LinkedHashMap<>();
    for (String n : nodes.keySet()) {
      members.computeIfAbsent(find(root, n), k -> new ArrayList<>()).add(n);
    }
    List<Subtopology> result = new ArrayList<>();
    for (List<String> group : members.values()) {
      Set<String> sources = new LinkedHashSet<>();
      Set<String> sinks = new LinkedHashSet<>();
      Set<String> groupStores = new LinkedHashSet<>();
      for (String n : group) {
        NodeDef def = nodes.get(n);
        if (def instanceof NodeDef.Source s) {
          sources.addAll(s.topics());
        } else if (def instanceof NodeDef.Sink s && s.topic() != null) {
          sinks.add(s.topic());
        }
      }
      for (StoreDef s : stores.values()) {
        if (s.processors().stream().anyMatch(group::contains)) {
          groupStores.add(s.name());
        }
      }
      if (sources.isEmpty()) {
        throw new TopologyException("nodes " + group + " are not connected to any source");
      }
      result.add(new Subtopology(result.size(), List.copyOf(group), sources, sinks, groupStores));
    }
    return Collections.unmodifiableList(result);
  }

  private static String find(Map<String, String> root, String n) {
    String r = n;
    while (!root.get(r).equals(r)) {
      r = root.get(r);
    }
    root.put(n, r);
    return r;
  }

  private void union(Map<String, String> root, String a, String b) {
    String ra = find(root, a);
    String rb = find(root, b);
    if (!ra.equals(rb)) {
      // keep the earlier-declared node as the root, for stable numbering
      List<String> order = new ArrayList<>(nodes.keySet());
      if (order.indexOf(ra) < order.indexOf(rb)) {
        root.put(rb, ra);
      } else {
        root.put(ra, rb);
      }
    }
  }

  /** The sub-topology reading {@code topic} (short name), or null. */
  public Subtopology subtopologyReading(String topic) {
    for (Subtopology s : subtopologies()) {
      if (s.sourceTopics().contains(topic)) {
        return s;
      }
    }
    return null;
  }

  /** Every topic any source reads, by sub-topology id. */
  public Map<Integer, Set<String>> sourceTopicsBySubtopology() {
    Map<Integer, Set<String>> m = new TreeMap<>();
    subtopologies().forEach(s -> m.put(s.id(), s.sourceTopics()));
    return m;
  }
}
