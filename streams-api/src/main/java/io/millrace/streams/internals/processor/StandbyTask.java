package io.millrace.streams.internals.processor;

import io.millrace.streams.processor.TaskId;

/**
 * A warm copy of a task's stores on another instance: kept up to date from the changelogs,
 * never processing. When its task moves here it becomes the active task with its stores open,
 * so only the changelog's tail is replayed.
 *
 * <p>Threading: owned by one stream thread.
 */
public final class StandbyTask {
  private final TaskId id;
  private final ProcessorTopology topology;
  private final TaskStateManager stateManager;
  private boolean closed;

  public StandbyTask(TaskId id, ProcessorTopology topology, TaskStateManager stateManager) {
    this.id = id;
    this.topology = topology;
    this.stateManager = stateManager;
  }

  public TaskId id() {
    return id;
  }

  public TaskStateManager stateManager() {
    return stateManager;
  }

  /** The instantiated topology, handed to the active task when this standby is promoted. */
  public ProcessorTopology topology() {
    return topology;
  }

  public void initializeStores() {
    stateManager.openStores(topology.storeBuilders(), topology.stores());
  }

  /** Makes the stores durable and records how far they are restored. */
  public void commit() {
    stateManager.flushStores();
    stateManager.checkpoint();
  }

  public void close(boolean clean) {
    if (!closed) {
      closed = true;
      stateManager.close(clean);
    }
  }
}
