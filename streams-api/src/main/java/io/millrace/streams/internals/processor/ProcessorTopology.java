package io.millrace.streams.internals.processor;

import io.millrace.streams.errors.StreamsException;
import io.millrace.streams.internals.DefaultSerdeAware;
import io.millrace.streams.internals.SerdeResolver;
import io.millrace.streams.internals.topology.InternalTopologyBuilder;
import io.millrace.streams.internals.topology.NodeDef;
import io.millrace.streams.internals.topology.StoreDef;
import io.millrace.streams.internals.topology.Subtopology;
import io.millrace.streams.processor.FailOnInvalidTimestamp;
import io.millrace.streams.processor.Processor;
import io.millrace.streams.processor.TimestampExtractor;
import io.millrace.streams.state.StateStore;
import io.millrace.streams.state.StoreBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;

/**
 * One sub-topology instantiated for one task: fresh processors from their suppliers, sources
 * and sinks with their serdes resolved, and fresh store instances.
 *
 * <p>Threading: its task's stream thread only.
 */
public final class ProcessorTopology {
  public static final String DEFAULT_TIMESTAMP_EXTRACTOR = "default.timestamp.extractor";

  private final List<ProcessorNode> nodes;
  private final Map<String, SourceNode> sourcesByTopic;
  private final Map<String, StoreBuilder<?>> storeBuilders;
  private final Map<String, StateStore> stores;

  private ProcessorTopology(
      List<ProcessorNode> nodes,
      Map<String, SourceNode> sourcesByTopic,
      Map<String, StoreBuilder<?>> storeBuilders,
      Map<String, StateStore> stores) {
    this.nodes = nodes;
    this.sourcesByTopic = sourcesByTopic;
    this.storeBuilders = storeBuilders;
    this.stores = stores;
  }

  public List<ProcessorNode> nodes() {
    return nodes;
  }

  /** Source nodes by full topic name. */
  public Map<String, SourceNode> sourcesByTopic() {
    return sourcesByTopic;
  }

  Map<String, StoreBuilder<?>> storeBuilders() {
    return storeBuilders;
  }

  Map<String, StateStore> stores() {
    return stores;
  }

  /** Sink topics (full names) of fixed-topic sinks. */
  public Set<String> sinkTopics() {
    Set<String> topics = new HashSet<>();
    for (ProcessorNode n : nodes) {
      if (n instanceof SinkNode s && s.topic() != null) {
        topics.add(s.topic());
      }
    }
    return topics;
  }

  /**
   * A fresh instance of one sub-topology for one task: new processors from their suppliers, new
   * stores from their builders, nodes wired parent to child as declared.
   */
  public static ProcessorTopology build(
      InternalTopologyBuilder builder,
      Subtopology subtopology,
      String applicationId,
      Map<String, Object> configs) {
    Map<String, NodeDef> defs = builder.nodes();
    Map<String, ProcessorNode> made = new LinkedHashMap<>();
    Map<String, SourceNode> sources = new LinkedHashMap<>();
    Set<Processor<?, ?, ?, ?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (String name : subtopology.nodes()) {
      NodeDef def = defs.get(name);
      ProcessorNode node;
      if (def instanceof NodeDef.Source s) {
        SourceNode source = sourceNode(name, s, configs);
        s.topics().forEach(t -> sources.put(builder.resolveTopic(applicationId, t), source));
        node = source;
      } else if (def instanceof NodeDef.Sink s) {
        node = sinkNode(name, s, builder, applicationId, configs);
      } else {
        node = processorNode(name, (NodeDef.Processing) def, builder.stores(), seen);
      }
      made.put(name, node);
    }
    for (String name : subtopology.nodes()) {
      for (String parent : defs.get(name).parents()) {
        made.get(parent).addChild(made.get(name));
      }
    }
    Map<String, StoreBuilder<?>> builders = new LinkedHashMap<>();
    Map<String, StateStore> stores = new LinkedHashMap<>();
    for (String storeName : subtopology.stores()) {
      StoreBuilder<?> sb = builder.stores().get(storeName).builder();
      builders.put(storeName, sb);
      stores.put(storeName, sb.build());
    }
    return new ProcessorTopology(new ArrayList<>(made.values()), sources, builders, stores);
  }

  @SuppressWarnings("unchecked")
  private static SourceNode sourceNode(String name, NodeDef.Source s, Map<String, Object> configs) {
    return new SourceNode(
        name,
        (Deserializer<Object>) deserializer(s.keyDeserializer(), true, configs, name),
        (Deserializer<Object>) deserializer(s.valueDeserializer(), false, configs, name),
        s.timestampExtractor() != null ? s.timestampExtractor() : defaultExtractor(configs),
        s.offsetReset());
  }

  @SuppressWarnings("unchecked")
  private static SinkNode sinkNode(String name, NodeDef.Sink s, InternalTopologyBuilder builder,
      String applicationId, Map<String, Object> configs) {
    return new SinkNode(
        name,
        s.topic() == null ? null : builder.resolveTopic(applicationId, s.topic()),
        s.topicExtractor(),
        (Serializer<Object>) serializer(s.keySerializer(), true, configs, name),
        (Serializer<Object>) serializer(s.valueSerializer(), false, configs, name),
        s.partitioner());
  }

  /** A processor from its supplier, which must make a new one each time (tasks never share one). */
  private static ProcessorNode processorNode(String name, NodeDef.Processing p, Map<String, StoreDef> storeDefs,
      Set<Processor<?, ?, ?, ?>> seen) {
    Processor<?, ?, ?, ?> processor = p.supplier().get();
    if (processor == null || !seen.add(processor)) {
      throw new StreamsException(
          "The supplier of processor " + name + " must return a new processor on every call");
    }
    Set<String> connected = new HashSet<>();
    storeDefs.values().forEach(sd -> {
      if (sd.processors().contains(name)) {
        connected.add(sd.name());
      }
    });
    return new ProcessorNode(name, processor, connected);
  }

  private static Deserializer<?> deserializer(
      Deserializer<?> given, boolean isKey, Map<String, Object> configs, String node) {
    if (given instanceof DefaultSerdeAware d) {
      d.useDefaults(configs);
    }
    if (given != null) {
      return given;
    }
    Serde<?> serde = defaultSerde(isKey, configs, "source " + node);
    return serde.deserializer();
  }

  private static Serializer<?> serializer(
      Serializer<?> given, boolean isKey, Map<String, Object> configs, String node) {
    if (given instanceof DefaultSerdeAware d) {
      d.useDefaults(configs);
    }
    if (given != null) {
      return given;
    }
    return defaultSerde(isKey, configs, "sink " + node).serializer();
  }

  private static Serde<?> defaultSerde(boolean isKey, Map<String, Object> configs, String where) {
    return isKey
        ? SerdeResolver.key(null, configs, where)
        : SerdeResolver.value(null, configs, where);
  }

  static TimestampExtractor defaultExtractor(Map<String, Object> configs) {
    Object v = configs.get(DEFAULT_TIMESTAMP_EXTRACTOR);
    if (v == null) {
      return new FailOnInvalidTimestamp();
    }
    try {
      if (v instanceof TimestampExtractor t) {
        return t;
      }
      if (v instanceof Class<?> c) {
        return (TimestampExtractor) Utils.newInstance(c);
      }
      return Utils.newInstance(v.toString().trim(), TimestampExtractor.class);
    } catch (ClassNotFoundException | RuntimeException e) {
      throw new StreamsException(
          "Cannot make the timestamp extractor " + DEFAULT_TIMESTAMP_EXTRACTOR + "=" + v, e);
    }
  }
}
