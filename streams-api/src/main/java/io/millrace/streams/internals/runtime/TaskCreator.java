package io.millrace.streams.internals.runtime;

import io.millrace.streams.errors.DeserializationExceptionHandler;
import io.millrace.streams.errors.ProductionExceptionHandler;
import io.millrace.streams.internals.processor.ProcessorTopology;
import io.millrace.streams.internals.processor.StandbyRecordCollector;
import io.millrace.streams.internals.processor.StandbyTask;
import io.millrace.streams.internals.processor.StreamTask;
import io.millrace.streams.internals.processor.TaskMetrics;
import io.millrace.streams.internals.processor.TaskStateManager;
import io.millrace.streams.internals.state.CacheBudget;
import io.millrace.streams.internals.topology.InternalTopologyBuilder;
import io.millrace.streams.processor.TaskId;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.Metrics;

/**
 * Makes one stream thread's tasks: a fresh instance of the sub-topology (processors and stores),
 * the state manager over the task's directory, the output collector on the thread's producer,
 * and the task's metrics. The caller holds the task directory's lock.
 *
 * <p>Threading: its stream thread only.
 */
final class TaskCreator {
  private final String threadName;
  private final InternalTopologyBuilder topology;
  private final String applicationId;
  private final Map<String, Object> configs;
  private final StateDirectory stateDirectory;
  private final CacheBudget cacheBudget;
  private final Metrics metrics;
  private final DeserializationExceptionHandler deserializationHandler;
  private final ProductionExceptionHandler productionHandler;
  private final LongSupplier clock;
  private Producer<byte[], byte[]> producer;

  TaskCreator(String threadName, InternalTopologyBuilder topology, String applicationId, Map<String, Object> configs,
      StateDirectory stateDirectory, CacheBudget cacheBudget, Metrics metrics,
      DeserializationExceptionHandler deserializationHandler, ProductionExceptionHandler productionHandler,
      LongSupplier clock) {
    this.threadName = threadName;
    this.topology = topology;
    this.applicationId = applicationId;
    this.configs = configs;
    this.stateDirectory = stateDirectory;
    this.cacheBudget = cacheBudget;
    this.metrics = metrics;
    this.deserializationHandler = deserializationHandler;
    this.productionHandler = productionHandler;
    this.clock = clock;
  }

  /** The producer active tasks write with; set once the thread has made its clients. */
  void setProducer(Producer<byte[], byte[]> producer) {
    this.producer = producer;
  }

  /** A new active task with its stores open (state RESTORING). */
  StreamTask createActive(TaskId id, Set<TopicPartition> inputs) {
    ProducerRecordCollector collector = new ProducerRecordCollector(producer, productionHandler, id);
    TaskStateManager sm = new TaskStateManager(id, applicationId, stateDirectory.taskDir(id), configs, cacheBudget,
        collector, true);
    StreamTask t = newActive(id, inputs, instantiate(id), sm, collector);
    t.initializeStores();
    return t;
  }

  /** The active task a standby becomes, taking over its open stores (state RESTORING). */
  StreamTask promote(StandbyTask standby, Set<TopicPartition> inputs) {
    ProducerRecordCollector collector = new ProducerRecordCollector(producer, productionHandler, standby.id());
    StreamTask t = newActive(standby.id(), inputs, standby.topology(), standby.stateManager(), collector);
    t.initializeStores();
    return t;
  }

  /** A new standby with its stores open. */
  StandbyTask createStandby(TaskId id) {
    TaskStateManager sm = new TaskStateManager(id, applicationId, stateDirectory.taskDir(id), configs, cacheBudget,
        StandbyRecordCollector.INSTANCE, true);
    StandbyTask sb = new StandbyTask(id, instantiate(id), sm);
    sb.initializeStores();
    return sb;
  }

  private StreamTask newActive(TaskId id, Set<TopicPartition> inputs, ProcessorTopology pt, TaskStateManager sm,
      ProducerRecordCollector collector) {
    return new StreamTask(id, applicationId, inputs, pt, sm, collector, configs, deserializationHandler,
        new TaskMetrics(metrics, threadName, id), clock);
  }

  private ProcessorTopology instantiate(TaskId id) {
    return ProcessorTopology.build(topology, topology.subtopologies().get(id.subtopology()), applicationId, configs);
  }
}
