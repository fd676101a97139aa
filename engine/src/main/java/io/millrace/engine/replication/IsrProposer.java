package io.millrace.engine.replication;

import io.millrace.engine.metadata.ReplicaChanges;
import io.vertx.core.Future;

/** Where a leader sends its ISR changes: the controller (Kafka's AlterPartition). */
@FunctionalInterface
public interface IsrProposer {

  /** Completes with the controller's answer, after a successful change is committed. */
  Future<ReplicaChanges.IsrResult> propose(ReplicaChanges.IsrChange change);
}
