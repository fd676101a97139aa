package io.millrace.engine.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.metadata.MetadataChanges.Outcome;
import io.millrace.engine.metadata.ReplicaChanges.ElectionType;
import io.millrace.engine.metadata.ReplicaChanges.IsrChange;
import io.millrace.engine.metadata.ReplicaChanges.IsrResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.junit.jupiter.api.Test;

class ReplicaChangesTest {

  final ReplicaChanges changes = new ReplicaChanges(t -> t.configs().containsKey("unclean"));
  final TopicPartition tp = new TopicPartition("t", 0);

  static BrokerRegistration broker(int id, String run) {
    return new BrokerRegistration(id, List.of(new Endpoint("PLAINTEXT", "h", 9000 + id)), Optional.empty(), false, run);
  }

  MetadataImage image(PartitionImage p, Map<String, String> configs) {
    MetadataImage img = MetadataImage.empty("c", 1);
    for (int id = 1; id <= 3; id++) {
      img = img.withBroker(broker(id, "run-" + id));
    }
    return img.withTopic(new TopicImage("t", new Uuid(1, 1), List.of(p), configs));
  }

  static PartitionImage p(int leader, int epoch, List<Integer> isr, int partitionEpoch) {
    return new PartitionImage(0, leader, epoch, List.of(1, 2, 3), isr, partitionEpoch);
  }

  @Test
  void fencingTheLeaderElectsTheFirstLiveInSyncReplica() {
    MetadataImage next = changes.fence(image(p(1, 4, List.of(1, 2, 3), 7), Map.of()), 1);
    PartitionImage after = next.topic("t").partition(0);
    assertThat(after.leader()).isEqualTo(2);
    assertThat(after.leaderEpoch()).isEqualTo(5);
    assertThat(after.isr()).containsExactly(2, 3);
    assertThat(after.partitionEpoch()).isEqualTo(8);
    assertThat(next.isLive(1)).isFalse();
  }

  @Test
  void fencingAFollowerOnlyShrinksTheIsr() {
    PartitionImage after = changes.fence(image(p(1, 4, List.of(1, 2, 3), 7), Map.of()), 3).topic("t").partition(0);
    assertThat(after.leader()).isEqualTo(1);
    assertThat(after.leaderEpoch()).isEqualTo(4);
    assertThat(after.isr()).containsExactly(1, 2);
  }

  @Test
  void theLastInSyncReplicaStaysAndThePartitionWaitsForIt() {
    MetadataImage next = changes.fence(image(p(1, 4, List.of(1), 7), Map.of()), 1);
    PartitionImage after = next.topic("t").partition(0);
    assertThat(after.leader()).isEqualTo(-1);
    assertThat(after.isr()).containsExactly(1);
    assertThat(after.leaderEpoch()).isEqualTo(5);
    PartitionImage back = changes.register(next, broker(1, "run-1b")).topic("t").partition(0);
    assertThat(back.leader()).isEqualTo(1);
    assertThat(back.leaderEpoch()).isEqualTo(6);
  }

  @Test
  void uncleanElectionTakesAnyLiveReplicaWhenAllowed() {
    PartitionImage after = changes.fence(image(p(1, 4, List.of(1), 7), Map.of("unclean", "true")), 1)
        .topic("t").partition(0);
    assertThat(after.leader()).isEqualTo(2);
    assertThat(after.isr()).containsExactly(2);
  }

  @Test
  void aNewRunOfALiveBrokerFailsTheOldRunFirst() {
    MetadataImage before = image(p(2, 4, List.of(1, 2, 3), 7), Map.of());
    MetadataImage next = changes.register(before, broker(2, "run-2b"));
    PartitionImage after = next.topic("t").partition(0);
    assertThat(after.leader()).isEqualTo(1);
    assertThat(after.isr()).containsExactly(1, 3);
    assertThat(next.brokers().get(2).incarnation()).isEqualTo("run-2b");
    assertThat(next.isLive(2)).isTrue();
    assertThat(changes.register(next, broker(2, "run-2b"))).as("the same run again changes nothing").isNull();
  }

  @Test
  void isrChangesNeedTheCurrentLeaderAndPartitionEpochs() {
    MetadataImage img = image(p(1, 4, List.of(1, 2, 3), 7), Map.of());
    assertThat(changes.alterPartition(img, new IsrChange(tp, 2, 4, 7, List.of(2))).result().error())
        .isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
    assertThat(changes.alterPartition(img, new IsrChange(tp, 1, 3, 7, List.of(1))).result().error())
        .isEqualTo(Errors.FENCED_LEADER_EPOCH);
    assertThat(changes.alterPartition(img, new IsrChange(tp, 1, 4, 6, List.of(1))).result().error())
        .isEqualTo(Errors.INVALID_UPDATE_VERSION);
    assertThat(changes.alterPartition(img, new IsrChange(tp, 1, 4, 7, List.of(2, 3))).result().error())
        .as("without the leader").isEqualTo(Errors.INVALID_REQUEST);
    Outcome<IsrResult> ok = changes.alterPartition(img, new IsrChange(tp, 1, 4, 7, List.of(1, 3)));
    assertThat(ok.result().error()).isEqualTo(Errors.NONE);
    assertThat(ok.result().partition().isr()).containsExactly(1, 3);
    assertThat(ok.result().partition().partitionEpoch()).isEqualTo(8);
  }

  @Test
  void theIsrGrowsOnlyByLiveBrokers() {
    MetadataImage img = changes.fence(image(p(1, 4, List.of(1, 2), 7), Map.of()), 3);
    int epoch = img.topic("t").partition(0).partitionEpoch();
    assertThat(changes.alterPartition(img, new IsrChange(tp, 1, 4, epoch, List.of(1, 2, 3))).result().error())
        .isEqualTo(Errors.INELIGIBLE_REPLICA);
  }

  @Test
  void preferredElectionMovesLeadershipBackWhenThePreferredReplicaIsInSync() {
    MetadataImage img = image(p(2, 4, List.of(1, 2, 3), 7), Map.of());
    Outcome<Map<TopicPartition, ApiError>> out = changes.electLeaders(img, ElectionType.PREFERRED, List.of(tp));
    assertThat(out.result().get(tp).error()).isEqualTo(Errors.NONE);
    assertThat(out.image().topic("t").partition(0).leader()).isEqualTo(1);
    assertThat(out.image().topic("t").partition(0).leaderEpoch()).isEqualTo(5);
    Outcome<Map<TopicPartition, ApiError>> again = changes.electLeaders(out.image(), ElectionType.PREFERRED, List.of(tp));
    assertThat(again.result().get(tp).error()).isEqualTo(Errors.ELECTION_NOT_NEEDED);
    MetadataImage outOfSync = image(p(2, 4, List.of(2, 3), 7), Map.of());
    assertThat(changes.electLeaders(outOfSync, ElectionType.PREFERRED, List.of(tp)).result().get(tp).error())
        .isEqualTo(Errors.PREFERRED_LEADER_NOT_AVAILABLE);
  }

  @Test
  void imbalanceCountsPartitionsLedAwayFromTheirPreferredReplica() {
    MetadataImage img = image(p(2, 4, List.of(1, 2, 3), 7), Map.of());
    assertThat(changes.imbalanced(img, 10)).containsExactly(tp);
    assertThat(changes.imbalanced(image(p(1, 4, List.of(1, 2, 3), 7), Map.of()), 10)).isEmpty();
  }
}
