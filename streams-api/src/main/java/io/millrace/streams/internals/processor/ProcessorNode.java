package io.millrace.streams.internals.processor;

import io.millrace.streams.processor.Processor;
import io.millrace.streams.processor.Record;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node of a task's instantiated topology: a processor (or source, or sink) and its children.
 * Single-threaded: belongs to one task.
 *
 * <p>Threading: its task's stream thread only.
 */
public class ProcessorNode {
  private final String name;
  private final Processor<Object, Object, Object, Object> processor;
  private final List<ProcessorNode> children = new ArrayList<>();
  private ProcessorNode[] childArray = new ProcessorNode[0];
  private final Map<String, ProcessorNode> childrenByName = new HashMap<>();
  private final Set<String> stores;

  @SuppressWarnings("unchecked")
  public ProcessorNode(String name, Processor<?, ?, ?, ?> processor, Set<String> stores) {
    this.name = name;
    this.processor = (Processor<Object, Object, Object, Object>) processor;
    this.stores = Set.copyOf(stores);
  }

  public String name() {
    return name;
  }

  public List<ProcessorNode> children() {
    return Collections.unmodifiableList(children);
  }

  public ProcessorNode child(String childName) {
    return childrenByName.get(childName);
  }

  void addChild(ProcessorNode child) {
    children.add(child);
    childrenByName.put(child.name(), child);
    childArray = children.toArray(new ProcessorNode[0]);
  }

  /** The children as an array, for forwarding without allocation. Do not modify. */
  ProcessorNode[] childArray() {
    return childArray;
  }

  public boolean connectedTo(String store) {
    return stores.contains(store);
  }

  void init(ProcessorContextImpl context) {
    if (processor != null) {
      processor.init(context);
    }
  }

  void process(Record<Object, Object> record) {
    processor.process(record);
  }

  void close() {
    if (processor != null) {
      processor.close();
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
