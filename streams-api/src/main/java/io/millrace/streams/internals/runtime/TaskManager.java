package io.millrace.streams.internals.runtime;

import io.millrace.streams.internals.processor.StandbyTask;
import io.millrace.streams.internals.processor.StreamTask;
import io.millrace.streams.internals.topology.InternalTopologyBuilder;
import io.millrace.streams.internals.topology.Subtopology;
import io.millrace.streams.processor.TaskId;
import io.millrace.streams.state.StateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle of one stream thread's tasks across rebalances (the cooperative protocol: a
 * rebalance takes away only what moves, and everything else keeps running).
 *
 * <ul>
 *   <li>Revoked partitions: their tasks commit and close (state stays on disk, the directory is
 *       unlocked for the next owner). The assignor moves a task in two rebalances, so its new
 *       owner gets it only after this.
 *   <li>Assigned: a standby that becomes active hands over its open stores; other new tasks are
 *       created once their state directory is free (its previous owner, maybe another thread
 *       here, may not have closed it yet). Standbys no longer assigned are closed.
 *   <li>A new active task restores its changelogs before processing; its input partitions stay
 *       paused until then. A task whose local state does not match its changelogs is created
 *       again from the changelogs (see {@link ChangelogReader}).
 *   <li>Lost partitions (this thread fell out of the group): its active tasks close without
 *       committing.
 * </ul>
 *
 * <p>Processing and commits are {@link TaskExecutor}'s; making tasks is {@link TaskCreator}'s.
 *
 * <p>Threading: its stream thread; {@link #queryableStores} and the assignor's view of the last
 * assignment ({@link #hosts}, {@link #assignmentError}) are read by other threads.
 */
final class TaskManager implements AssignorContext.Member, ConsumerRebalanceListener {
  private static final Logger log = LoggerFactory.getLogger(TaskManager.class);

  private final String threadName;
  private final StateDirectory stateDirectory;
  private final TaskCreator creator;
  private final Map<String, Integer> subtopologyByTopic = new HashMap<>();
  private final Tasks tasks = new Tasks();
  private final TaskExecutor executor;
  private final QueryableStores queryable = new QueryableStores();
  private Consumer<byte[], byte[]> consumer;
  private ChangelogReader reader;

  private volatile ReceivedAssignment assignment = ReceivedAssignment.NONE;
  private boolean assignmentReceived;
  private boolean rejoinRequested;
  private int assignmentsReceived;
  private volatile boolean shutdownRequested;

  TaskManager(String threadName, InternalTopologyBuilder topology, String applicationId,
      StateDirectory stateDirectory, TaskCreator creator, int maxBufferedPerPartition) {
    this.threadName = threadName;
    this.stateDirectory = stateDirectory;
    this.creator = creator;
    this.executor = new TaskExecutor(threadName, tasks, maxBufferedPerPartition);
    for (Subtopology s : topology.subtopologies()) {
      s.sourceTopics().forEach(t -> subtopologyByTopic.put(topology.resolveTopic(applicationId, t), s.id()));
    }
  }

  void setClients(Consumer<byte[], byte[]> consumer, ChangelogReader reader, Set<String> repartitionTopics) {
    this.consumer = consumer;
    this.reader = reader;
    executor.setConsumer(consumer);
    executor.setRepartitionTopics(repartitionTopics);
  }

  TaskExecutor executor() {
    return executor;
  }

  // ---- the assignor's view ----

  @Override
  public Set<TaskId> activeTasks() {
    return tasks.ownedActiveIds();
  }

  @Override
  public Set<TaskId> standbyTasks() {
    return tasks.standbyIds();
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
  public void onAssignment(AssignmentProtocol.Assignment received, Collection<TopicPartition> partitions) {
    assignment = ReceivedAssignment.of(received, partitions, subtopologyByTopic);
    assignmentsReceived++;
    rejoinRequested |= assignment.rejoin();
  }

  /** How many assignments this thread has received: tells a completed rebalance apart. */
  int assignmentsReceived() {
    return assignmentsReceived;
  }

  int assignmentError() {
    return assignment.error();
  }

  Map<String, AssignmentProtocol.HostTasks> hosts() {
    return assignment.hosts();
  }

  /**
   * True once after an assignment that withheld moving tasks: the thread should rejoin now, so
   * the rebalance that places them does not wait for its next heartbeat.
   */
  boolean takeRejoinRequest() {
    boolean r = rejoinRequested;
    rejoinRequested = false;
    return r;
  }

  // ---- rebalance callbacks (on the stream thread, inside poll) ----

  /** The tasks reading revoked partitions commit and close; the others are untouched. */
  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    Set<TaskId> revoked = tasks.activeIdsReading(partitions);
    if (revoked.isEmpty()) {
      return;
    }
    List<StreamTask> committing = new ArrayList<>();
    revoked.forEach(id -> {
      StreamTask t = tasks.active(id);
      if (t != null) {
        committing.add(t);
      }
    });
    boolean clean = true;
    try {
      executor.commit(committing);
    } catch (RuntimeException e) {
      log.warn("{}: commit of revoked tasks {} failed; their next owner reprocesses from the last commit",
          threadName, revoked, e);
      clean = false;
    }
    for (TaskId id : revoked) {
      closeActive(id, clean);
    }
    executor.forget(partitions);
    queryable.publish(tasks);
    log.info("{}: revoked tasks {}", threadName, revoked);
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    log.warn("{}: lost its partitions (fell out of the group); closing its tasks without committing", threadName);
    for (TaskId id : tasks.ownedActiveIds()) {
      closeActive(id, false);
    }
    executor.forget(partitions);
    queryable.publish(tasks);
  }

  /** Brings the tasks in line with the assignment just received (called even when nothing was added). */
  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> added) {
    assignmentReceived = true;
    ReceivedAssignment a = assignment;
    if (a.error() != AssignmentProtocol.NO_ERROR || shutdownRequested) {
      return;
    }
    for (TaskId id : tasks.ownedActiveIds()) {
      if (!a.active().contains(id)) {
        log.warn("{}: task {} is no longer assigned but its partitions were not revoked; closing it", threadName, id);
        closeActive(id, false);
      }
    }
    Set<TaskId> owned = tasks.ownedActiveIds();
    for (TaskId id : a.active()) {
      if (!owned.contains(id)) {
        takeActive(id, a.partitionsOf(id));
      }
    }
    for (TaskId id : tasks.standbyIds()) {
      if (!a.standby().contains(id)) {
        closeStandby(id);
      }
    }
    for (TaskId id : a.standby()) {
      if (!tasks.standbyIds().contains(id) && !a.active().contains(id)) {
        tasks.addPendingStandby(id);
      }
    }
    tryCreatePending();
    log.info("{}: active tasks {} (waiting for directories {}), standbys {}", threadName, tasksOf(tasks.active()),
        tasks.pendingActive().keySet(), tasks.standbyIds());
  }

  private static Set<TaskId> tasksOf(Collection<StreamTask> active) {
    Set<TaskId> ids = new TreeSet<>();
    active.forEach(t -> ids.add(t.id()));
    return ids;
  }

  /** A newly assigned active task: a standby here is promoted, else it waits for its directory. */
  private void takeActive(TaskId id, Set<TopicPartition> inputs) {
    StandbyTask sb = tasks.removeStandby(id);
    if (sb != null) {
      reader.unregister(id);
      StreamTask t = creator.promote(sb, inputs);
      tasks.addActive(t);
      startRestoring(t);
      return;
    }
    tasks.removePendingStandby(id);
    tasks.addPendingActive(id, inputs);
    consumer.pause(inputs);
  }

  // ---- task creation ----

  /** Creates the tasks whose directories have come free. */
  void tryCreatePending() {
    if (tasks.pendingActive().isEmpty() && tasks.pendingStandby().isEmpty()) {
      return;
    }
    for (Map.Entry<TaskId, Set<TopicPartition>> e : List.copyOf(tasks.pendingActive().entrySet())) {
      TaskId id = e.getKey();
      if (!stateDirectory.lock(id)) {
        continue;
      }
      tasks.removePendingActive(id);
      StreamTask t;
      try {
        t = creator.createActive(id, e.getValue());
      } catch (RuntimeException ex) {
        stateDirectory.unlock(id);
        throw ex;
      }
      tasks.addActive(t);
      startRestoring(t);
    }
    for (TaskId id : List.copyOf(tasks.pendingStandby())) {
      if (!stateDirectory.lock(id)) {
        continue;
      }
      tasks.removePendingStandby(id);
      StandbyTask sb = creator.createStandby(id);
      tasks.addStandby(sb);
      reader.register(id, sb.stateManager(), true);
    }
    queryable.publish(tasks);
  }

  private void startRestoring(StreamTask t) {
    if (t.streamTime() < 0 && !t.inputPartitions().isEmpty()) {
      t.initializePartitionTimes(consumer.committed(t.inputPartitions()));
    }
    consumer.pause(t.inputPartitions());
    if (t.stateManager().changelogPartitions().isEmpty()) {
      finishRestoring(t);
      return;
    }
    reader.register(t.id(), t.stateManager(), false);
  }

  private void finishRestoring(StreamTask t) {
    t.completeRestoration();
    consumer.resume(t.inputPartitions());
    queryable.publish(tasks);
  }

  // ---- restoring ----

  /** Replays changelogs; starts the tasks whose restoration completed, recreates corrupted ones. */
  void restore(Duration timeout) {
    if (reader.isEmpty()) {
      return;
    }
    ChangelogReader.Progress progress = reader.restore(timeout);
    progress.corrupted().forEach(this::reviveCorrupted);
    for (TaskId id : progress.restored()) {
      StreamTask t = tasks.active(id);
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
    StreamTask t = tasks.removeActive(id);
    if (t != null) {
      t.stateManager().invalidateCheckpoints(changelogs);
      closeQuietly(() -> t.close(false), id);
      tasks.addPendingActive(id, t.inputPartitions());
      return;
    }
    StandbyTask sb = tasks.removeStandby(id);
    if (sb != null) {
      sb.stateManager().invalidateCheckpoints(changelogs);
      closeQuietly(() -> sb.close(false), id);
      tasks.addPendingStandby(id);
    }
  }

  boolean restoringActive() {
    return reader.hasActiveRestoration() || !tasks.pendingActive().isEmpty();
  }

  boolean hasStandbys() {
    return tasks.hasStandbys();
  }

  // ---- closing ----

  /** Closes every task; a clean close commits first. */
  void closeAll(boolean clean) {
    if (clean) {
      try {
        executor.commit(tasks.active());
      } catch (RuntimeException e) {
        log.warn("{}: final commit failed", threadName, e);
        clean = false;
      }
    }
    for (TaskId id : tasks.ownedActiveIds()) {
      closeActive(id, clean);
    }
    for (TaskId id : tasks.standbyIds()) {
      closeStandby(id);
    }
    queryable.publish(tasks);
  }

  /** Closes an active task (or forgets a pending one) and unlocks its directory. */
  private void closeActive(TaskId id, boolean clean) {
    if (tasks.removePendingActive(id) != null) {
      return;
    }
    StreamTask t = tasks.removeActive(id);
    if (t == null) {
      return;
    }
    reader.unregister(id);
    closeQuietly(() -> t.close(clean), id);
    stateDirectory.unlock(id);
  }

  private void closeStandby(TaskId id) {
    if (tasks.removePendingStandby(id)) {
      return;
    }
    StandbyTask sb = tasks.removeStandby(id);
    if (sb != null) {
      reader.unregister(id);
      closeQuietly(() -> sb.close(true), id);
      stateDirectory.unlock(id);
    }
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
    if (!assignmentReceived || !tasks.pendingActive().isEmpty()) {
      return false;
    }
    for (StreamTask t : tasks.active()) {
      if (t.state() != StreamTask.State.RUNNING) {
        return false;
      }
    }
    return true;
  }

  Set<TaskId> runningActiveTasks() {
    return queryable.runningActive().keySet();
  }

  Set<TaskId> standbyTaskIds() {
    return queryable.standbys().keySet();
  }

  /** Stores of running active tasks (and standbys), for interactive queries from any thread. */
  Map<TaskId, Map<String, StateStore>> queryableStores(boolean includeStandby) {
    return queryable.stores(includeStandby);
  }
}
