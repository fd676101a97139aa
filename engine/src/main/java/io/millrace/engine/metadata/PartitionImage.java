package io.millrace.engine.metadata;

import java.util.List;

/**
 * One partition's replication state.
 *
 * @param partition the partition index
 * @param leader broker id of the leader, or -1 when there is none
 * @param leaderEpoch bumped each time the leader changes
 * @param replicas the assigned replicas, preferred leader first
 * @param isr the in-sync replicas
 * @param partitionEpoch bumped on every change of this record (fences stale ISR updates)
 */
public record PartitionImage(int partition, int leader, int leaderEpoch, List<Integer> replicas,
    List<Integer> isr, int partitionEpoch) {
  public PartitionImage {
    replicas = List.copyOf(replicas);
    isr = List.copyOf(isr);
    if (partition < 0 || leaderEpoch < 0 || partitionEpoch < 0) {
      throw new IllegalArgumentException("negative partition " + partition + " or epoch "
          + leaderEpoch + "/" + partitionEpoch);
    }
  }
}
