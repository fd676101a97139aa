package io.millrace.connect.herder;

import java.util.List;

/** Standalone mode: this worker is the only member and runs everything. */
public final class SoloMembership implements Membership {
  private final String workerId;
  private Callbacks callbacks;
  private long generation;

  public SoloMembership(String workerId) {
    this.workerId = workerId;
  }

  @Override
  public synchronized void start(Callbacks callbacks) {
    this.callbacks = callbacks;
    requestRebalance();
  }

  @Override
  public synchronized void requestRebalance() {
    WorkAssignment a = Assignor.assign(List.of(new WorkAssignment.Owned(workerId, List.of(),
        List.of())), workerId, callbacks.latestConfig()).get(workerId);
    callbacks.onAssignment(a.withGeneration(++generation));
  }

  @Override
  public void close() {}
}
