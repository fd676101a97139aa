package io.millrace.connect.herder;

import io.millrace.connect.storage.ClusterConfigState;

/**
 * How a worker learns what to run: alone ({@link SoloMembership}) or as a member of a group
 * of workers ({@link GroupMembership}).
 */
public interface Membership extends AutoCloseable {

  /** What the membership needs from the worker. */
  interface Callbacks {
    /** The config to assign from, read to the end of the config log. */
    ClusterConfigState latestConfig();

    /** What this worker runs, or is still stopping, now. */
    WorkAssignment.Owned owned();

    /** The new assignment of this worker. */
    void onAssignment(WorkAssignment assignment);
  }

  void start(Callbacks callbacks);

  /** Asks for a new assignment (the config's shape changed); returns at once. */
  void requestRebalance();

  @Override
  void close();
}
