package io.millrace.streams.internals.processor;

import io.millrace.streams.errors.ErrorHandlerContext;
import io.millrace.streams.errors.StreamsException;
import io.millrace.streams.processor.Cancellable;
import io.millrace.streams.processor.ProcessorContext;
import io.millrace.streams.processor.PunctuationType;
import io.millrace.streams.processor.Punctuator;
import io.millrace.streams.processor.Record;
import io.millrace.streams.processor.RecordMetadata;
import io.millrace.streams.processor.TaskId;
import io.millrace.streams.state.StateStore;
import java.io.File;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;

/**
 * The one processor context of a task. Tracks the node currently processing so that {@link
 * #forward} reaches that node's children, and the record being processed.
 *
 * <p>Threading: the task's thread only.
 */
public final class ProcessorContextImpl implements ProcessorContext<Object, Object> {
  private final StreamTask task;
  private final Map<String, Object> configs;
  private final Serde<?> defaultKeySerde;
  private final Serde<?> defaultValueSerde;
  private ProcessorNode currentNode;
  private RecordMetadata recordMetadata;
  private long recordTimestamp = -1;

  ProcessorContextImpl(
      StreamTask task, Map<String, Object> configs, Serde<?> defaultKeySerde, Serde<?> defaultValueSerde) {
    this.task = task;
    this.configs = configs;
    this.defaultKeySerde = defaultKeySerde;
    this.defaultValueSerde = defaultValueSerde;
  }

  @Override
  public <K, V> void forward(Record<K, V> record) {
    ProcessorNode from = currentNode;
    for (ProcessorNode child : from.childArray()) {
      forwardTo(from, child, record);
    }
  }

  @Override
  public <K, V> void forward(Record<K, V> record, String childName) {
    ProcessorNode from = currentNode;
    ProcessorNode child = from.child(childName);
    if (child == null) {
      throw new StreamsException(
          "Processor " + from.name() + " has no child named " + childName);
    }
    forwardTo(from, child, record);
  }

  /** Forwards as if {@code node} were processing: for cache flushes and punctuation. */
  public <K, V> void forwardFrom(ProcessorNode node, Record<K, V> record) {
    ProcessorNode previous = currentNode;
    long previousTimestamp = recordTimestamp;
    currentNode = node;
    try {
      forward(record);
    } finally {
      currentNode = previous;
      recordTimestamp = previousTimestamp;
    }
  }

  @SuppressWarnings("unchecked")
  private void forwardTo(ProcessorNode from, ProcessorNode child, Record<?, ?> record) {
    long previousTimestamp = recordTimestamp;
    currentNode = child;
    recordTimestamp = record.timestamp();
    try {
      child.process((Record<Object, Object>) record);
    } catch (NodeFailure f) {
      throw f;
    } catch (RuntimeException e) {
      throw new NodeFailure(child.name(), e);
    } finally {
      currentNode = from;
      recordTimestamp = previousTimestamp;
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public <S extends StateStore> S getStateStore(String name) {
    if (currentNode == null || !currentNode.connectedTo(name)) {
      throw new StreamsException(
          "Processor "
              + (currentNode == null ? "?" : currentNode.name())
              + " has no access to store "
              + name
              + ": connect them (Topology.connectProcessorAndStateStores, or name the store in"
              + " KStream.process)");
    }
    StateStore store = task.stateManager().store(name);
    if (store == null) {
      throw new StreamsException("Store " + name + " is not open in task " + task.id());
    }
    return (S) store;
  }

  @Override
  public Cancellable schedule(Duration interval, PunctuationType type, Punctuator punctuator) {
    long ms = interval.toMillis();
    if (ms < 1) {
      throw new IllegalArgumentException("A punctuation interval must be at least 1 ms, got " + interval);
    }
    return task.schedule(currentNode, ms, type, punctuator);
  }

  @Override
  public TaskId taskId() {
    return task.id();
  }

  @Override
  public String applicationId() {
    return task.applicationId();
  }

  @Override
  public Optional<RecordMetadata> recordMetadata() {
    return Optional.ofNullable(recordMetadata);
  }

  @Override
  public long currentStreamTimeMs() {
    return task.streamTime();
  }

  @Override
  public long currentSystemTimeMs() {
    return task.wallClockMs();
  }

  @Override
  public void commit() {
    task.requestCommit();
  }

  @Override
  public Serde<?> keySerde() {
    return defaultKeySerde;
  }

  @Override
  public Serde<?> valueSerde() {
    return defaultValueSerde;
  }

  @Override
  public Map<String, Object> appConfigs() {
    return configs;
  }

  @Override
  public File stateDir() {
    return task.stateManager().stateDir();
  }

  // ---- for the runtime and the DSL's processors ----

  public ProcessorNode currentNode() {
    return currentNode;
  }

  void setCurrentNode(ProcessorNode node) {
    currentNode = node;
  }

  void setRecord(RecordMetadata metadata, long timestamp) {
    recordMetadata = metadata;
    recordTimestamp = timestamp;
  }

  /** Timestamp of the record at the current node, or stream time when there is none. */
  public long recordTimestamp() {
    return recordTimestamp >= 0 ? recordTimestamp : Math.max(0, task.streamTime());
  }

  public RecordCollector collector() {
    return task.collector();
  }

  /** Counts a record the DSL dropped (late for its window, null key where one is needed). */
  public void recordDropped() {
    task.metrics().recordDropped();
  }

  /** Counts a record dropped because its window (or join window) closed before it came. */
  public void recordLateDropped() {
    task.metrics().recordLateDropped();
  }

  public ErrorHandlerContext errorContext(String nodeName) {
    RecordMetadata m = recordMetadata;
    return new ErrorHandlerContext(
        m == null ? null : m.topic(),
        m == null ? -1 : m.partition(),
        m == null ? -1 : m.offset(),
        nodeName,
        task.id(),
        recordTimestamp);
  }
}
