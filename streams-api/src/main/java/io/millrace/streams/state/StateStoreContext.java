package io.millrace.streams.state;

import io.millrace.streams.processor.TaskId;
import java.io.File;
import java.util.Map;

/**
 * What a {@link StateStore} sees of its task while it opens.
 *
 * <p>Threading: the task's stream thread, while the store is initialised.
 */
public interface StateStoreContext {

  TaskId taskId();

  String applicationId();

  /** The task's directory under {@code state.dir}; a persistent store keeps its files below. */
  File stateDir();

  Map<String, Object> appConfigs();

  /**
   * Registers an opened store; {@code callback} receives the changelog records to replay when
   * the store is restored. Must be called exactly once from {@link StateStore#init}.
   */
  void register(StateStore store, StateRestoreCallback callback);
}
