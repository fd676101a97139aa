package io.millrace.streams.internals.processor;

import io.millrace.streams.errors.DeserializationExceptionHandler;
import io.millrace.streams.errors.StreamsException;
import io.millrace.streams.internals.SerdeResolver;
import io.millrace.streams.processor.Cancellable;
import io.millrace.streams.processor.PunctuationType;
import io.millrace.streams.processor.Punctuator;
import io.millrace.streams.processor.Record;
import io.millrace.streams.processor.RecordMetadata;
import io.millrace.streams.processor.TaskId;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task: one sub-topology on one partition of its source topics. Buffers the records of its
 * input partitions, processes them in event-time order (the partition whose next record is
 * oldest goes first), keeps stream time, runs punctuations, and knows what to commit.
 *
 * <p>Lifecycle: {@link #initializeStores} (state RESTORING while the runtime replays
 * changelogs), {@link #completeRestoration} (processors initialised; RUNNING), then {@link
 * #process} / commits, {@link #close} (when its partitions are revoked, or at shutdown).
 *
 * <p>Threading: one stream thread (or the test driver) owns a task.
 */
public final class StreamTask {
  private static final Logger log = LoggerFactory.getLogger(StreamTask.class);

  /** Where a task is in its life. */
  public enum State {
    CREATED,
    RESTORING,
    RUNNING,
    CLOSED
  }

  private final TaskId id;
  private final String applicationId;
  private final ProcessorTopology topology;
  private final TaskStateManager stateManager;
  private final RecordCollector collector;
  private final ProcessorContextImpl context;
  private final RecordDeserializer deserializer;
  private final TaskMetrics metrics;
  private final LongSupplier wallClock;
  private final PartitionGroup partitions;
  private final PunctuationQueue streamTimePunctuations = new PunctuationQueue();
  private final PunctuationQueue wallClockPunctuations = new PunctuationQueue();
  private long streamTime = -1;
  private boolean commitNeeded;
  private boolean commitRequested;
  private State state = State.CREATED;

  public StreamTask(
      TaskId id,
      String applicationId,
      Set<TopicPartition> inputPartitions,
      ProcessorTopology topology,
      TaskStateManager stateManager,
      RecordCollector collector,
      Map<String, Object> configs,
      DeserializationExceptionHandler deserializationHandler,
      TaskMetrics metrics,
      LongSupplier wallClock) {
    this.id = id;
    this.applicationId = applicationId;
    this.topology = topology;
    this.stateManager = stateManager;
    this.collector = collector;
    this.deserializer = new RecordDeserializer(id, deserializationHandler, metrics, collector);
    this.metrics = metrics;
    this.wallClock = wallClock;
    this.context =
        new ProcessorContextImpl(
            this,
            configs,
            SerdeResolver.defaultSerde(SerdeResolver.DEFAULT_KEY_SERDE, true, configs),
            SerdeResolver.defaultSerde(SerdeResolver.DEFAULT_VALUE_SERDE, false, configs));
    this.partitions = new PartitionGroup(id, inputPartitions, topology);
    stateManager.setRecordTimestamp(context::recordTimestamp);
  }

  public TaskId id() {
    return id;
  }

  String applicationId() {
    return applicationId;
  }

  public State state() {
    return state;
  }

  public Set<TopicPartition> inputPartitions() {
    return partitions.partitions();
  }

  public TaskStateManager stateManager() {
    return stateManager;
  }

  RecordCollector collector() {
    return collector;
  }

  TaskMetrics metrics() {
    return metrics;
  }

  public long streamTime() {
    return streamTime;
  }

  long wallClockMs() {
    return wallClock.getAsLong();
  }

  /**
   * Opens the stores (unless a standby handed them over already open); the runtime restores them
   * from their changelogs next.
   */
  public void initializeStores() {
    if (!stateManager.storesOpen()) {
      stateManager.openStores(topology.storeBuilders(), topology.stores());
    }
    stateManager.useCollector(collector);
    state = State.RESTORING;
  }

  /** Waits for this task's output to be acknowledged; throws the first send failure. */
  public void flushOutput() {
    collector.flush();
  }

  /** Stores are restored: initialises the processors and starts running. */
  public void completeRestoration() {
    for (ProcessorNode node : topology.nodes()) {
      context.setCurrentNode(node);
      try {
        node.init(context);
      } catch (RuntimeException e) {
        throw new StreamsException(
            "Processor " + node.name() + " of task " + id + " failed to initialise: " + e.getMessage(), e, id);
      } finally {
        context.setCurrentNode(null);
      }
    }
    state = State.RUNNING;
  }

  /** Deserializes and buffers consumed records; returns how many the partition now buffers. */
  public int addRecords(TopicPartition tp, Iterable<ConsumerRecord<byte[], byte[]>> records) {
    RecordQueue queue = partitions.queue(tp);
    if (queue == null) {
      throw new StreamsException("Task " + id + " does not read " + tp);
    }
    for (ConsumerRecord<byte[], byte[]> raw : records) {
      ConsumerRecord<Object, Object> record = deserializer.deserialize(queue.source(), raw);
      long ts = record == null ? -1 : extractTimestamp(queue, record);
      if (ts < 0) {
        skipped(queue, raw.offset());
      } else {
        queue.add(new RecordQueue.Stamped(record, ts));
      }
    }
    return queue.size();
  }

  /** The record's event time; a negative one drops the record (counted, logged). */
  private long extractTimestamp(RecordQueue queue, ConsumerRecord<Object, Object> record) {
    long ts;
    try {
      ts = queue.source().timestampExtractor().extract(record, queue.partitionTime());
    } catch (StreamsException e) {
      throw new StreamsException(e.getMessage(), e, id);
    }
    if (ts < 0) {
      log.warn("Task {}: dropping record {} offset {}: timestamp extractor returned {}",
          id, queue.partition(), record.offset(), ts);
      metrics.recordDropped();
    }
    return ts;
  }

  /** A skipped record counts as consumed if nothing before it waits. */
  private void skipped(RecordQueue queue, long offset) {
    if (queue.isEmpty()) {
      partitions.consumed(queue.partition(), offset);
      commitNeeded = true;
    }
  }

  /** Processes the buffered record with the lowest timestamp; false if none is buffered. */
  public boolean process() {
    if (state != State.RUNNING) {
      return false;
    }
    RecordQueue next = partitions.next();
    if (next == null) {
      return false;
    }
    RecordQueue.Stamped r = next.poll();
    ConsumerRecord<Object, Object> cr = r.record();
    streamTime = Math.max(streamTime, r.timestamp());
    context.setRecord(new RecordMetadata(cr.topic(), cr.partition(), cr.offset()), r.timestamp());
    context.setCurrentNode(next.source());
    long startNanos = System.nanoTime();
    try {
      next.source().process(
          new Record<>(cr.key(), cr.value(), r.timestamp(), cr.headers()));
    } catch (NodeFailure f) {
      throw processingFailure(f.node(), f.getCause(), cr);
    } catch (RuntimeException e) {
      throw processingFailure(next.source().name(), e, cr);
    } finally {
      context.setRecord(null, -1);
      context.setCurrentNode(null);
    }
    partitions.consumed(next.partition(), cr.offset());
    commitNeeded = true;
    metrics.recordProcessed(System.nanoTime() - startNanos);
    maybePunctuateStreamTime();
    return true;
  }

  private StreamsException processingFailure(String node, Throwable cause, ConsumerRecord<?, ?> r) {
    return new StreamsException(
        "Exception caught in process: task " + id + ", processor " + node + ", record "
            + r.topic() + "-" + r.partition() + " offset " + r.offset() + ": " + cause,
        cause, id);
  }

  Cancellable schedule(ProcessorNode node, long intervalMs, PunctuationType type, Punctuator punctuator) {
    if (type == PunctuationType.STREAM_TIME) {
      long first = streamTime < 0 ? 0 : streamTime + intervalMs;
      return streamTimePunctuations.schedule(node, first, intervalMs, punctuator);
    }
    return wallClockPunctuations.schedule(node, wallClock.getAsLong() + intervalMs, intervalMs, punctuator);
  }

  /** Fires stream-time punctuations that are due. */
  public boolean maybePunctuateStreamTime() {
    if (state != State.RUNNING || streamTime < 0) {
      return false;
    }
    return streamTimePunctuations.maybePunctuate(streamTime, this::punctuate);
  }

  /** Fires wall-clock punctuations that are due. */
  public boolean maybePunctuateSystemTime() {
    if (state != State.RUNNING) {
      return false;
    }
    return wallClockPunctuations.maybePunctuate(wallClock.getAsLong(), this::punctuate);
  }

  private void punctuate(PunctuationQueue.Schedule s, long now) {
    context.setRecord(null, now);
    context.setCurrentNode(s.node);
    try {
      s.punctuator.punctuate(now);
      commitNeeded = true;
    } catch (NodeFailure f) {
      throw punctuationFailure(f.node(), f.getCause());
    } catch (RuntimeException e) {
      throw punctuationFailure(s.node.name(), e);
    } finally {
      context.setRecord(null, -1);
      context.setCurrentNode(null);
    }
  }

  private StreamsException punctuationFailure(String node, Throwable cause) {
    return new StreamsException(
        "Exception caught while punctuating: task " + id + ", processor " + node + ": " + cause, cause, id);
  }

  public int bufferedRecords() {
    return partitions.bufferedRecords();
  }

  public int bufferedRecords(TopicPartition tp) {
    return partitions.bufferedRecords(tp);
  }

  public boolean commitNeeded() {
    return commitNeeded;
  }

  public boolean commitRequested() {
    return commitRequested;
  }

  void requestCommit() {
    commitRequested = true;
  }

  /** Step 1 of a commit: flush record caches (which may forward and produce more records). */
  public void flushCaches() {
    metrics.flushProcessed();
    stateManager.flushCaches();
  }

  /** Step 2, after the producer has flushed: make the stores durable locally. */
  public void flushStores() {
    stateManager.flushStores();
  }

  /**
   * The input offsets to commit: one past the last processed record of each partition, with the
   * partition's time in the metadata so that the next owner keeps stream time (and so which
   * windows are closed) where it was.
   */
  public Map<TopicPartition, OffsetAndMetadata> committableOffsets() {
    return partitions.committableOffsets();
  }

  /** Takes up the partition times committed by a previous owner; stream time is their maximum. */
  public void initializePartitionTimes(Map<TopicPartition, OffsetAndMetadata> committed) {
    streamTime = Math.max(streamTime, partitions.initializePartitionTimes(committed));
  }

  /** Step 3, after the offsets are committed: write the changelog checkpoint. */
  public void postCommit() {
    stateManager.checkpoint();
    commitNeeded = false;
    commitRequested = false;
  }

  /**
   * Closes processors and stores. A clean close flushes and checkpoints first; a dirty close
   * (after a failure) does not, so the next owner restores from the last good checkpoint.
   */
  public void close(boolean clean) {
    if (state == State.CLOSED) {
      return;
    }
    RuntimeException first = null;
    if (state == State.RUNNING) {
      for (ProcessorNode node : topology.nodes()) {
        context.setCurrentNode(node);
        try {
          node.close();
        } catch (RuntimeException e) {
          log.warn("Task {}: processor {} failed to close", id, node.name(), e);
          if (first == null) {
            first = e;
          }
        } finally {
          context.setCurrentNode(null);
        }
      }
    }
    try {
      stateManager.close(clean && first == null);
    } catch (RuntimeException e) {
      if (first == null) {
        first = e;
      }
    }
    streamTimePunctuations.clear();
    wallClockPunctuations.clear();
    partitions.clear();
    metrics.close();
    state = State.CLOSED;
    if (first != null && clean) {
      throw new StreamsException("Task " + id + " did not close cleanly: " + first.getMessage(), first, id);
    }
  }

  public Collection<String> storeNames() {
    return topology.stores().keySet();
  }

  @Override
  public String toString() {
    return "StreamTask(" + id + ", " + state + ")";
  }
}
