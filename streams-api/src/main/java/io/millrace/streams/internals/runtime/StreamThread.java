package io.millrace.streams.internals.runtime;

import io.millrace.streams.StreamsConfig;
import io.millrace.streams.errors.DeserializationExceptionHandler;
import io.millrace.streams.errors.ProductionExceptionHandler;
import io.millrace.streams.errors.StreamsUncaughtExceptionHandler;
import io.millrace.streams.internals.state.CacheBudget;
import io.millrace.streams.internals.topology.InternalTopologyBuilder;
import io.millrace.streams.internals.topology.Subtopology;
import io.millrace.streams.processor.TaskId;
import io.millrace.streams.state.StateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream thread: a plain Java thread (never an event loop) that is one member of the
 * application's consumer group, with its own consumer, producer and restore consumer, and runs
 * the tasks the group gives it: poll, restore, process, punctuate, commit, repeat.
 *
 * <p>Lifecycle: {@link #start()}; {@link #shutdown()} asks it to stop, committing and leaving
 * the group; a failure ends it and reports to its listener, which decides (the application's
 * uncaught-exception handler) what follows.
 */
public final class StreamThread extends Thread {
  private static final Logger log = LoggerFactory.getLogger(StreamThread.class);
  private static final int MAX_RECORDS_PER_ITERATION = 10_000;
  private static final Duration RESTORE_POLL = Duration.ofMillis(10);

  /** The thread's state, as the client aggregates it. */
  public enum State {
    CREATED,
    STARTING,
    PARTITIONS_REVOKED,
    PARTITIONS_ASSIGNED,
    RUNNING,
    PENDING_SHUTDOWN,
    DEAD
  }

  /** The client's side: state changes, failures and the application shutdown signal. */
  public interface Listener {
    void onStateChange(StreamThread thread, State from, State to);

    StreamsUncaughtExceptionHandler.Response onFailure(StreamThread thread, Throwable error);

    void onApplicationShutdownSignal(StreamThread thread);
  }

  private final StreamsConfig config;
  private final InternalTopologyBuilder topology;
  private final String applicationId;
  private final TopicSetup topicSetup;
  private final Listener listener;
  private final TaskManager taskManager;
  private final TaskCreator taskCreator;
  private final TaskExecutor executor;
  private final UUID processId;
  private final String endpoint;
  private final int numStandbys;
  private final long commitIntervalMs;
  private final long pollMs;
  private final SourceOffsetReset offsetReset;
  private final RepartitionPurger purger;
  private volatile State state = State.CREATED;
  private volatile boolean running = true;
  private Consumer<byte[], byte[]> consumer;
  private Consumer<byte[], byte[]> restoreConsumer;
  private Producer<byte[], byte[]> producer;
  private long lastCommitMs;
  private final ThreadMetrics threadMetrics;

  public StreamThread(String name, StreamsConfig config, InternalTopologyBuilder topology, StateDirectory stateDirectory,
      TopicSetup topicSetup, UUID processId, Metrics metrics, long cacheBytes,
      org.apache.kafka.clients.admin.Admin admin, Listener listener) {
    super(name);
    this.config = config;
    this.topology = topology;
    this.applicationId = config.getString(StreamsConfig.APPLICATION_ID_CONFIG);
    this.topicSetup = topicSetup;
    this.listener = listener;
    this.processId = processId;
    this.endpoint = config.getString(StreamsConfig.APPLICATION_SERVER_CONFIG);
    this.numStandbys = config.getInt(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG);
    this.commitIntervalMs = config.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
    this.pollMs = config.getLong(StreamsConfig.POLL_MS_CONFIG);
    this.offsetReset = new SourceOffsetReset(topology, applicationId,
        config.getString(StreamsConfig.AUTO_OFFSET_RESET_CONFIG));
    this.purger = new RepartitionPurger(admin, config.getLong(StreamsConfig.REPARTITION_PURGE_INTERVAL_MS_CONFIG), name);
    this.threadMetrics = new ThreadMetrics(metrics, name);
    this.taskCreator = new TaskCreator(name, topology, applicationId, config.appConfigs(), stateDirectory,
        new CacheBudget(cacheBytes), metrics,
        config.getConfiguredInstance(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
            DeserializationExceptionHandler.class),
        config.getConfiguredInstance(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
            ProductionExceptionHandler.class),
        System::currentTimeMillis);
    this.taskManager = new TaskManager(name, topology, applicationId, stateDirectory, taskCreator,
        config.getInt(StreamsConfig.BUFFERED_RECORDS_PER_PARTITION_CONFIG));
    this.executor = taskManager.executor();
  }

  public State state() {
    return state;
  }

  private void setState(State to) {
    State from = state;
    if (from != to && from != State.DEAD) {
      state = to;
      listener.onStateChange(this, from, to);
    }
  }

  /** Asks the thread to commit, close its tasks, leave the group and end. */
  public void shutdown() {
    running = false;
    setState(State.PENDING_SHUTDOWN);
    Consumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }

  @Override
  public void run() {
    Throwable failure = null;
    boolean clean = true;
    try {
      setState(State.STARTING);
      topicSetup.ensure();
      createClients();
      consumer.subscribe(sourceTopics(), new RebalanceStates());
      lastCommitMs = System.currentTimeMillis();
      while (running) {
        runOnce();
      }
    } catch (WakeupException e) {
      if (running) {
        failure = e;
      }
    } catch (Throwable e) {
      failure = e;
      clean = false;
    }
    if (failure != null) {
      log.error("{} failed", getName(), failure);
      StreamsUncaughtExceptionHandler.Response response = listener.onFailure(this, failure);
      closeTasks(false);
      if (response == StreamsUncaughtExceptionHandler.Response.SHUTDOWN_APPLICATION) {
        signalApplicationShutdown();
      }
    } else {
      closeTasks(clean);
    }
    closeClients();
    threadMetrics.close();
    setState(State.DEAD);
  }

  private void runOnce() {
    boolean busy = executor.hasBufferedRecords() || taskManager.restoringActive();
    ConsumerRecords<byte[], byte[]> records;
    try {
      records = consumer.poll(busy ? Duration.ZERO : Duration.ofMillis(pollMs));
    } catch (InvalidOffsetException e) {
      offsetReset.reset(consumer, e.partitions(), getName());
      return;
    }
    if (taskManager.assignmentError() == AssignmentProtocol.SHUTDOWN_APPLICATION) {
      log.warn("{}: the application is shutting down on another instance's request", getName());
      listener.onApplicationShutdownSignal(this);
      running = false;
      return;
    }
    if (taskManager.takeRejoinRequest()) {
      consumer.enforceRebalance("tasks are waiting to move to their new members");
    }
    taskManager.tryCreatePending();
    executor.addRecords(records);
    if (taskManager.restoringActive() || taskManager.hasStandbys()) {
      taskManager.restore(taskManager.restoringActive() && !executor.hasBufferedRecords()
          ? RESTORE_POLL : Duration.ZERO);
    }
    executor.process(MAX_RECORDS_PER_ITERATION);
    executor.punctuateWallClock();
    executor.resumeDrained();
    long now = System.currentTimeMillis();
    if (now - lastCommitMs >= commitIntervalMs || executor.commitRequested()) {
      long commitStart = System.nanoTime();
      executor.commitAll();
      threadMetrics.commit(System.nanoTime() - commitStart);
      lastCommitMs = now;
      purger.maybePurge(now, executor);
    }
    if (state == State.PARTITIONS_ASSIGNED && taskManager.allTasksRunning()) {
      setState(State.RUNNING);
    }
  }

  private List<String> sourceTopics() {
    List<String> topics = new ArrayList<>();
    for (Subtopology s : topology.subtopologies()) {
      s.sourceTopics().forEach(t -> topics.add(topology.resolveTopic(applicationId, t)));
    }
    return topics;
  }

  private void createClients() {
    Map<Integer, List<String>> bySub = new HashMap<>();
    for (Subtopology s : topology.subtopologies()) {
      bySub.put(s.id(), s.sourceTopics().stream().map(t -> topology.resolveTopic(applicationId, t)).toList());
    }
    Map<String, Object> consumerConfig = config.mainConsumerConfigs(applicationId, getName() + "-consumer");
    consumerConfig.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, StreamsPartitionAssignor.class.getName());
    consumerConfig.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
    consumerConfig.put(AssignorContext.CONFIG_KEY,
        new AssignorContext(processId, endpoint, bySub, numStandbys, taskManager));
    consumer = new KafkaConsumer<>(consumerConfig);
    Set<String> repartition = new HashSet<>();
    topology.internalTopics().keySet().forEach(t -> repartition.add(topology.resolveTopic(applicationId, t)));
    restoreConsumer = new KafkaConsumer<>(config.restoreConsumerConfigs(getName() + "-restore-consumer"));
    producer = new KafkaProducer<>(config.producerConfigs(getName() + "-producer"));
    taskCreator.setProducer(producer);
    taskManager.setClients(consumer, new ChangelogReader(restoreConsumer, threadMetrics), repartition);
  }

  private void closeTasks(boolean clean) {
    if (consumer == null) {
      return;
    }
    try {
      taskManager.closeAll(clean);
    } catch (RuntimeException e) {
      log.warn("{}: error closing tasks", getName(), e);
    }
  }

  /** After a failure: asks every instance (through a rebalance) to shut down, then waits for it. */
  private void signalApplicationShutdown() {
    if (consumer == null) {
      return;
    }
    taskManager.requestApplicationShutdown();
    long deadline = System.currentTimeMillis() + 60_000;
    try {
      // A rebalance already under way carries the subscription from before the request: rejoin
      // after each one until an assignment brings the signal back.
      int seen = taskManager.assignmentsReceived();
      consumer.enforceRebalance("application shutdown requested");
      while (taskManager.assignmentError() != AssignmentProtocol.SHUTDOWN_APPLICATION
          && System.currentTimeMillis() < deadline) {
        consumer.poll(Duration.ofMillis(100));
        if (taskManager.assignmentsReceived() != seen
            && taskManager.assignmentError() != AssignmentProtocol.SHUTDOWN_APPLICATION) {
          seen = taskManager.assignmentsReceived();
          consumer.enforceRebalance("application shutdown requested");
        }
      }
    } catch (RuntimeException e) {
      log.warn("{}: could not signal the application shutdown to the group", getName(), e);
    }
    listener.onApplicationShutdownSignal(this);
  }

  private void closeClients() {
    Duration timeout = Duration.ofSeconds(10);
    Consumer<byte[], byte[]> c = consumer;
    Consumer<byte[], byte[]> rc = restoreConsumer;
    Producer<byte[], byte[]> p = producer;
    closeQuietly(c == null ? null : () -> c.close(CloseOptions.timeout(timeout)), "consumer");
    closeQuietly(rc == null ? null : () -> rc.close(CloseOptions.timeout(timeout)), "restore consumer");
    closeQuietly(p == null ? null : () -> p.close(timeout), "producer");
  }

  private void closeQuietly(Runnable close, String what) {
    if (close == null) {
      return;
    }
    try {
      close.run();
    } catch (RuntimeException e) {
      log.warn("{}: error closing the {}", getName(), what, e);
    }
  }

  // ---- for the client ----

  Map<TaskId, Map<String, StateStore>> queryableStores(boolean includeStandby) {
    return taskManager.queryableStores(includeStandby);
  }

  public Set<TaskId> activeTaskIds() {
    return new TreeSet<>(taskManager.runningActiveTasks());
  }

  public Set<TaskId> standbyTaskIds() {
    return new TreeSet<>(taskManager.standbyTaskIds());
  }

  Map<String, AssignmentProtocol.HostTasks> hosts() {
    return taskManager.hosts();
  }

  /** Moves the thread's state with the group's rebalances, around the task manager's work. */
  private final class RebalanceStates implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (running) {
        setState(State.PARTITIONS_REVOKED);
      }
      taskManager.onPartitionsRevoked(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      taskManager.onPartitionsAssigned(partitions);
      if (running) {
        setState(State.PARTITIONS_ASSIGNED);
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      if (running) {
        setState(State.PARTITIONS_REVOKED);
      }
      taskManager.onPartitionsLost(partitions);
    }
  }

}
