package io.millrace.connect.runtime;

import io.millrace.connect.storage.StatusStore.State;

/** Hears connectors and tasks change state; called from their threads. */
public interface StatusListener {
  void onConnectorState(String connector, State state, Throwable error);

  void onTaskState(TaskId task, State state, Throwable error);
}
