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
import io.millrace.streams.internals.topology.Subtopology;
import io.millrace.streams.processor.TaskId;
import io.millrace.streams.state.StateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks of one stream thread and their lifecycle across rebalances (the eager protocol:
 * every rebalance revokes everything, then assigns).
 *
 * <ul>
 *   <li>Revoked: running tasks commit, then are suspended with their stores open.
 *   <li>Assigned: a suspended task that is assigned again resumes; a standby that becomes active
 *       hands over its open stores; other tasks are created once their state directory is free
 *       (its previous owner, maybe another thread here, may not have closed it yet). Suspended
 *       tasks and standbys that were not assigned again are closed.
 *   <li>A new active task restores its changelogs before processing; its input partitions stay
 *       paused until then.
 * </ul>
 *
 * <p>Threading: its stream thread; {@link #queryableStores} is read by other threads.
 */
final class TaskManager implements AssignorContext.Member, ConsumerRebalanceListener {
  private static final Logger log = LoggerFactory.getLogger(TaskManager.class);

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
  private final int maxBufferedPerPartition;
  private final Map<String, Integer> subtopologyByTopic = new HashMap<>();
  private Consumer<byte[], byte[]> consumer;
  private Producer<byte[], byte[]> producer;
  private ChangelogReader reader;

  private final Map<TaskId, StreamTask> active = new TreeMap<>();
  private final Map<TaskId, StreamTask> suspended = new TreeMap<>();
  private final Map<TaskId, StandbyTask> standbys = new TreeMap<>();
  private final Map<TaskId, Set<TopicPartition>> pendingActive = new TreeMap<>();
  private final Set<TaskId> pendingStandby = new TreeSet<>();
  private final Map<TopicPartition, StreamTask> byPartition = new HashMap<>();
  private final Set<TopicPartition> pausedForBuffer = new HashSet<>();
  private Set<TaskId> assignedActive = Set.of();
  private Set<TaskId> assignedStandby = Set.of();
  private boolean assignmentReceived;
  private volatile int assignmentError = AssignmentProtocol.NO_ERROR;
  private volatile Map<String, AssignmentProtocol.HostTasks> hosts = Map.of();
  private volatile boolean shutdownRequested;
  private volatile Map<TaskId, Map<String, StateStore>> queryable = Map.of();
  private volatile Map<TaskId, Map<String, StateStore>> queryableStandby = Map.of();
  private final Map<TopicPartition, Long> committedRepartitionOffsets = new HashMap<>();
  private Set<String> repartitionTopics = Set.of();

  TaskManager(String threadName, InternalTopologyBuilder topology, String applicationId, Map<String, Object> configs,
      StateDirectory stateDirectory, CacheBudget cacheBudget, Metrics metrics,
      DeserializationExceptionHandler deserializationHandler, ProductionExceptionHandler productionHandler,
      LongSupplier clock, int maxBufferedPerPartition) {
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
    this.maxBufferedPerPartition = maxBufferedPerPartition;
    for (Subtopology s : topology.subtopologies()) {
      s.sourceTopics().forEach(t -> subtopologyByTopic.put(topology.resolveTopic(applicationId, t), s.id()));
    }
  }

  /** Full names of the repartition topics this thread may purge after commits. */
  void setRepartitionTopics(Set<String> topics) {
    this.repartitionTopics = Set.copyOf(topics);
  }

  /** Committed offsets of repartition partitions since the last call; clears them. */
  Map<TopicPartition, Long> takeCommittedRepartitionOffsets() {
    Map<TopicPartition, Long> m = new HashMap<>(committedRepartitionOffsets);
    committedRepartitionOffsets.clear();
    return m;
  }

  void setClients(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer, ChangelogReader reader) {
    this.consumer = consumer;
    this.producer = producer;
    this.reader = reader;
  }

  // ---- the assignor's view ----

  @Override
  public Set<TaskId> activeTasks() {
    Set<TaskId> ids = new TreeSet<>(active.keySet());
    ids.addAll(suspended.keySet());
    return ids;
  }

  @Override
  public Set<TaskId> standbyTasks() {
    return new TreeSet<>(standbys.keySet());
  }

  @Override
  public Set<TaskId> tasksWithState() {
    return new TreeSet<>(stateDirectory.tasksWithState());
  }

  @Override
  public boolean shutdownRequested() {
    return shutdownRequested;
  }

  void requestApplicationShutdown() {
    shutdownRequested = true;
  }

  @Override
  public void onAssignment(AssignmentProtocol.Assignment assignment) {
    assignedActive = assignment.active();
    assignedStandby = assignment.standby();
    assignmentError = assignment.error();
    hosts = assignment.hosts() == null ? Map.of() : assignment.hosts();
  }

  int assignmentError() {
    return assignmentError;
  }

  Map<String, AssignmentProtocol.HostTasks> hosts() {
    return hosts;
  }

  // ---- rebalance callbacks ----

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    if (active.isEmpty() && pendingActive.isEmpty()) {
      return;
    }
    try {
      commit();
    } catch (RuntimeException e) {
      log.warn("{}: commit before rebalance failed; tasks will reprocess from the last commit", threadName, e);
    }
    for (StreamTask t : active.values()) {
      t.suspend();
      reader.unregister(t.id());
    }
    suspended.putAll(active);
    active.clear();
    pendingActive.clear();
    byPartition.clear();
    pausedForBuffer.clear();
    publishStores();
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    log.warn("{}: lost its partitions (fell out of the group); closing its tasks without committing", threadName);
    for (StreamTask t : active.values()) {
      closeActive(t, false);
    }
    for (StreamTask t : suspended.values()) {
      closeActive(t, false);
    }
    active.clear();
    suspended.clear();
    pendingActive.clear();
    byPartition.clear();
    pausedForBuffer.clear();
    publishStores();
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    assignmentReceived = true;
    if (assignmentError != AssignmentProtocol.NO_ERROR) {
      return;
    }
    Map<TaskId, Set<TopicPartition>> byTask = new HashMap<>();
    for (TopicPartition tp : partitions) {
      Integer sub = subtopologyByTopic.get(tp.topic());
      if (sub != null) {
        byTask.computeIfAbsent(new TaskId(sub, tp.partition()), k -> new HashSet<>()).add(tp);
      }
    }
    for (TaskId id : new ArrayList<>(suspended.keySet())) {
      if (!assignedActive.contains(id)) {
        closeActive(suspended.remove(id), true);
      }
    }
    for (TaskId id : assignedActive) {
      Set<TopicPartition> tps = byTask.getOrDefault(id, Set.of());
      StreamTask s = suspended.remove(id);
      StandbyTask sb = standbys.remove(id);
      if (s != null) {
        s.resume();
        addActive(s);
        if (s.state() == StreamTask.State.RESTORING) {
          startRestoring(s);
        }
      } else if (sb != null) {
        reader.unregister(id);
        StreamTask t = newActive(id, tps, sb.topology(), sb.stateManager());
        t.initializeStores();
        addActive(t);
        startRestoring(t);
      } else {
        pendingActive.put(id, tps);
        consumer.pause(tps);
      }
    }
    for (TaskId id : new ArrayList<>(standbys.keySet())) {
      if (!assignedStandby.contains(id)) {
        StandbyTask sb = standbys.remove(id);
        reader.unregister(id);
        closeQuietly(() -> sb.close(true), id);
        stateDirectory.unlock(id);
      }
    }
    for (TaskId id : assignedStandby) {
      if (!standbys.containsKey(id)) {
        pendingStandby.add(id);
      }
    }
    pendingStandby.retainAll(assignedStandby);
    tryCreatePending();
    log.info("{}: active tasks {} (waiting {}), standbys {}", threadName, active.keySet(), pendingActive.keySet(),
        standbys.keySet());
  }

  // ---- task creation ----

  /** Creates tasks whose directories have come free. */
  void tryCreatePending() {
    for (var it = pendingActive.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      TaskId id = e.getKey();
      if (!stateDirectory.lock(id)) {
        continue;
      }
      it.remove();
      StreamTask t = newActive(id, e.getValue(), buildTopology(id), null);
      try {
        t.initializeStores();
      } catch (RuntimeException ex) {
        stateDirectory.unlock(id);
        throw ex;
      }
      addActive(t);
      startRestoring(t);
    }
    for (var it = pendingStandby.iterator(); it.hasNext(); ) {
      TaskId id = it.next();
      if (!stateDirectory.lock(id)) {
        continue;
      }
      it.remove();
      TaskStateManager sm = new TaskStateManager(id, applicationId, stateDirectory.taskDir(id), configs,
          cacheBudget, StandbyRecordCollector.INSTANCE, true);
      StandbyTask sb = new StandbyTask(id, buildTopology(id), sm);
      sb.initializeStores();
      standbys.put(id, sb);
      reader.register(id, sm, true);
    }
    publishStores();
  }

  private ProcessorTopology buildTopology(TaskId id) {
    return ProcessorTopology.build(topology, topology.subtopologies().get(id.subtopology()), applicationId, configs);
  }

  private StreamTask newActive(TaskId id, Set<TopicPartition> inputs, ProcessorTopology pt, TaskStateManager existing) {
    ProducerRecordCollector collector = new ProducerRecordCollector(producer, productionHandler, id);
    TaskStateManager sm = existing != null ? existing : new TaskStateManager(id, applicationId,
        stateDirectory.taskDir(id), configs, cacheBudget, collector, true);
    return new StreamTask(id, applicationId, inputs, pt, sm, collector, configs, deserializationHandler,
        new TaskMetrics(metrics, threadName, id), clock);
  }

  private void addActive(StreamTask t) {
    active.put(t.id(), t);
    t.inputPartitions().forEach(tp -> byPartition.put(tp, t));
  }

  private void startRestoring(StreamTask t) {
    if (t.streamTime() < 0 && !t.inputPartitions().isEmpty()) {
      t.initializePartitionTimes(consumer.committed(t.inputPartitions()));
    }
    if (t.stateManager().changelogPartitions().isEmpty()) {
      finishRestoring(t);
      return;
    }
    consumer.pause(t.inputPartitions());
    reader.register(t.id(), t.stateManager(), false);
  }

  private void finishRestoring(StreamTask t) {
    t.completeRestoration();
    consumer.resume(t.inputPartitions());
    publishStores();
  }

  // ---- the loop's steps ----

  /** Replays changelogs; starts the tasks whose restoration completed. */
  void restore(Duration timeout) {
    if (reader.isEmpty()) {
      return;
    }
    ChangelogReader.Progress progress = reader.restore(timeout);
    progress.corrupted().forEach(this::reviveCorrupted);
    for (TaskId id : progress.restored()) {
      StreamTask t = active.get(id);
      if (t != null && t.state() == StreamTask.State.RESTORING) {
        finishRestoring(t);
      }
    }
  }

  /**
   * A task whose local state does not match its changelogs (Kafka Streams' corrupted task):
   * their checkpoints are dropped and the task is closed without committing, keeping its
   * directory lock, and created again, which wipes those stores and restores them from the
   * beginning of the changelogs.
   */
  private void reviveCorrupted(TaskId id, Set<TopicPartition> changelogs) {
    StreamTask t = active.remove(id);
    if (t != null) {
      Set<TopicPartition> inputs = Set.copyOf(t.inputPartitions());
      inputs.forEach(byPartition::remove);
      t.stateManager().invalidateCheckpoints(changelogs);
      closeQuietly(() -> t.close(false), id);
      consumer.pause(inputs);
      pendingActive.put(id, inputs);
      return;
    }
    StandbyTask sb = standbys.remove(id);
    if (sb != null) {
      sb.stateManager().invalidateCheckpoints(changelogs);
      closeQuietly(() -> sb.close(false), id);
      pendingStandby.add(id);
    }
  }

  boolean restoringActive() {
    return reader.hasActiveRestoration() || !pendingActive.isEmpty();
  }

  boolean hasStandbys() {
    return !standbys.isEmpty();
  }

  void addRecords(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition tp : records.partitions()) {
      StreamTask t = byPartition.get(tp);
      if (t == null) {
        log.debug("{}: records for {} which no task owns (revoked meanwhile)", threadName, tp);
        continue;
      }
      int buffered = t.addRecords(tp, records.records(tp));
      if (buffered > maxBufferedPerPartition && pausedForBuffer.add(tp)) {
        consumer.pause(List.of(tp));
      }
    }
  }

  /** Records a task processes before the next task's turn. */
  private static final int PROCESS_BATCH = 100;

  /** Processes up to {@code max} records, a batch per running task in turn; returns how many. */
  int process(int max) {
    int n = 0;
    boolean progress = true;
    while (progress && n < max) {
      progress = false;
      for (StreamTask t : active.values()) {
        int batch = 0;
        while (batch < PROCESS_BATCH && t.process()) {
          batch++;
        }
        n += batch;
        progress |= batch > 0;
      }
    }
    return n;
  }

  boolean hasBufferedRecords() {
    for (StreamTask t : active.values()) {
      if (t.state() == StreamTask.State.RUNNING && t.bufferedRecords() > 0) {
        return true;
      }
    }
    return false;
  }

  void punctuateWallClock() {
    for (StreamTask t : active.values()) {
      t.maybePunctuateSystemTime();
    }
  }

  /** Resumes partitions paused for a full buffer once half of it has drained. */
  void resumeDrained() {
    for (var it = pausedForBuffer.iterator(); it.hasNext(); ) {
      TopicPartition tp = it.next();
      StreamTask t = byPartition.get(tp);
      if (t == null || t.bufferedRecords(tp) <= maxBufferedPerPartition / 2) {
        it.remove();
        if (t != null && t.state() == StreamTask.State.RUNNING) {
          consumer.resume(List.of(tp));
        }
      }
    }
  }

  boolean commitRequested() {
    for (StreamTask t : active.values()) {
      if (t.commitRequested()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Commits: flush caches (which may produce), wait for the producer, make stores durable,
   * commit the input offsets, write checkpoints. At least once: a crash anywhere before the
   * offset commit means reprocessing, never loss.
   */
  void commit() {
    List<StreamTask> committing = new ArrayList<>();
    for (StreamTask t : active.values()) {
      if (t.state() == StreamTask.State.RUNNING && t.commitNeeded()) {
        committing.add(t);
      }
    }
    for (StreamTask t : committing) {
      t.flushCaches();
    }
    for (StreamTask t : committing) {
      t.flushOutput();
    }
    for (StreamTask t : committing) {
      t.flushStores();
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    committing.forEach(t -> offsets.putAll(t.committableOffsets()));
    if (!offsets.isEmpty()) {
      try {
        consumer.commitSync(offsets);
      } catch (CommitFailedException | RebalanceInProgressException e) {
        log.warn("{}: offset commit failed during a rebalance; records since the last commit will be"
            + " processed again", threadName);
        return;
      }
    }
    offsets.forEach((tp, o) -> {
      if (repartitionTopics.contains(tp.topic())) {
        committedRepartitionOffsets.put(tp, o.offset());
      }
    });
    for (StreamTask t : committing) {
      t.postCommit();
    }
    for (StreamTask t : active.values()) {
      if (t.state() == StreamTask.State.RESTORING) {
        t.stateManager().flushStores();
        t.stateManager().checkpoint();
      }
    }
    for (StandbyTask sb : standbys.values()) {
      sb.commit();
    }
  }

  /** Closes every task; a clean close commits first. */
  void closeAll(boolean clean) {
    if (clean) {
      try {
        commit();
      } catch (RuntimeException e) {
        log.warn("{}: final commit failed", threadName, e);
        clean = false;
      }
    }
    for (StreamTask t : active.values()) {
      closeActive(t, clean);
    }
    for (StreamTask t : suspended.values()) {
      closeActive(t, clean);
    }
    for (StandbyTask sb : standbys.values()) {
      boolean c = clean;
      closeQuietly(() -> sb.close(c), sb.id());
      stateDirectory.unlock(sb.id());
    }
    active.clear();
    suspended.clear();
    standbys.clear();
    pendingActive.clear();
    pendingStandby.clear();
    byPartition.clear();
    publishStores();
  }

  private void closeActive(StreamTask t, boolean clean) {
    reader.unregister(t.id());
    closeQuietly(() -> t.close(clean), t.id());
    stateDirectory.unlock(t.id());
  }

  private void closeQuietly(Runnable close, TaskId id) {
    try {
      close.run();
    } catch (RuntimeException e) {
      log.warn("{}: task {} did not close cleanly", threadName, id, e);
    }
  }

  // ---- state for the client ----

  boolean allTasksRunning() {
    if (!assignmentReceived || !pendingActive.isEmpty()) {
      return false;
    }
    for (StreamTask t : active.values()) {
      if (t.state() != StreamTask.State.RUNNING) {
        return false;
      }
    }
    return true;
  }

  Set<TaskId> runningActiveTasks() {
    return queryable.keySet();
  }

  Set<TaskId> standbyTaskIds() {
    return queryableStandby.keySet();
  }

  /** Stores of running active tasks (and standbys), for interactive queries from any thread. */
  Map<TaskId, Map<String, StateStore>> queryableStores(boolean includeStandby) {
    if (!includeStandby) {
      return queryable;
    }
    Map<TaskId, Map<String, StateStore>> all = new TreeMap<>(queryable);
    queryableStandby.forEach(all::putIfAbsent);
    return all;
  }

  private void publishStores() {
    Map<TaskId, Map<String, StateStore>> q = new TreeMap<>();
    for (StreamTask t : active.values()) {
      if (t.state() == StreamTask.State.RUNNING) {
        q.put(t.id(), new LinkedHashMap<>(t.stateManager().stores()));
      }
    }
    Map<TaskId, Map<String, StateStore>> s = new TreeMap<>();
    standbys.forEach((id, sb) -> s.put(id, new LinkedHashMap<>(sb.stateManager().stores())));
    queryable = q;
    queryableStandby = s;
  }
}
