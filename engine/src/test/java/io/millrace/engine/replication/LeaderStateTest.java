package io.millrace.engine.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeaderStateTest {

  static final long LAG = 1000;

  @Test
  void highWatermarkWaitsForEveryInSyncFollower() {
    LeaderState s = new LeaderState(1, List.of(1, 2, 3), List.of(1, 2, 3), 0, 0);
    assertThat(s.highWatermarkCandidate(10)).isEqualTo(LeaderState.UNKNOWN);
    s.onFollowerFetch(2, 10, 10, 5);
    assertThat(s.highWatermarkCandidate(10)).isEqualTo(LeaderState.UNKNOWN);
    s.onFollowerFetch(3, 7, 10, 5);
    assertThat(s.highWatermarkCandidate(10)).isEqualTo(7);
  }

  @Test
  void aFollowerOutsideTheIsrDoesNotHoldTheHighWatermark() {
    LeaderState s = new LeaderState(1, List.of(1, 2, 3), List.of(1, 2), 0, 0);
    s.onFollowerFetch(2, 10, 10, 5);
    assertThat(s.highWatermarkCandidate(10)).isEqualTo(10);
  }

  @Test
  void aPendingExpansionHoldsTheHighWatermarkUntilCommitted() {
    LeaderState s = new LeaderState(1, List.of(1, 2, 3), List.of(1, 2), 0, 0);
    s.onFollowerFetch(2, 10, 10, 5);
    s.onFollowerFetch(3, 10, 10, 5);
    assertThat(s.expand(10, 0, 5, LAG)).contains(List.of(1, 2, 3));
    s.proposed(List.of(1, 2, 3));
    s.onFollowerFetch(3, 8, 12, 6);
    assertThat(s.highWatermarkCandidate(12)).isEqualTo(8);
    s.committed(List.of(1, 2, 3), 1);
    assertThat(s.pendingIsr()).isEmpty();
    assertThat(s.isr()).containsExactly(1, 2, 3);
  }

  @Test
  void followersThatStopCatchingUpAreProposedForRemoval() {
    LeaderState s = new LeaderState(1, List.of(1, 2, 3), List.of(1, 2, 3), 0, 0);
    s.onFollowerFetch(2, 10, 10, 900);
    s.onFollowerFetch(3, 5, 10, 900);
    // Follower 3 has not caught up since the leadership began (time 0); 2 did at 900.
    assertThat(s.shrink(1000, LAG)).isEmpty();
    assertThat(s.shrink(1001, LAG)).contains(List.of(1, 2));
    s.proposed(List.of(1, 2));
    assertThat(s.shrink(5000, LAG)).as("one change in flight").isEmpty();
    s.proposalFailed();
    assertThat(s.shrink(5000, LAG)).contains(List.of(1));
  }

  @Test
  void reachingThePreviousLogEndCountsAsCaughtUpAtThePreviousFetch() {
    LeaderState s = new LeaderState(1, List.of(1, 2), List.of(1, 2), 0, 0);
    s.onFollowerFetch(2, 5, 10, 100);
    // The leader grew meanwhile, but the follower reached where the leader was at its last fetch.
    s.onFollowerFetch(2, 10, 20, 1500);
    assertThat(s.shrink(1099, LAG)).isEmpty();
    assertThat(s.shrink(1101, LAG)).contains(List.of(1));
  }

  @Test
  void aFollowerJoinsOnlyOnceItReachedTheHighWatermarkAndTheEpochStart() {
    LeaderState s = new LeaderState(1, List.of(1, 2), List.of(1), 0, 0);
    s.onFollowerFetch(2, 9, 10, 5);
    assertThat(s.expand(10, 0, 5, LAG)).isEmpty();
    s.onFollowerFetch(2, 10, 10, 6);
    assertThat(s.expand(10, 12, 6, LAG)).as("before the epoch's start offset").isEmpty();
    assertThat(s.expand(10, 10, 6, LAG)).contains(List.of(1, 2));
  }

  @Test
  void aCommitOfANewerPartitionEpochClearsAStaleProposal() {
    LeaderState s = new LeaderState(1, List.of(1, 2, 3), List.of(1, 2, 3), 4, 0);
    s.proposed(List.of(1, 2));
    s.committed(List.of(1, 3), 5);
    assertThat(s.pendingIsr()).isEmpty();
    s.committed(List.of(1, 2, 3), 4);
    assertThat(s.isr()).as("an older epoch is ignored").containsExactly(1, 3);
  }
}
