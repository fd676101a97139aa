package io.millrace.engine.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.engine.metadata.MetadataAcceptor.ClaimReply;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The claim rule of the metadata quorum: which promises are enough, which image is adopted. */
class QuorumRulesTest {

  static MetadataImage image(long version, long epoch, int controller, int... brokers) {
    MetadataImage img = MetadataImage.empty("c", controller);
    for (int id : brokers) {
      img = img.withBroker(new BrokerRegistration(id, List.of(new Endpoint("P", "h", id)), Optional.empty(), false, "r"));
    }
    return img.withController(controller, epoch).atVersion(version);
  }

  final Ballot b = new Ballot(10, 1);

  @Test
  void aMajorityOfTheRegisteredBrokersIsEnoughAndTheNewestImageWins() {
    Map<Integer, ClaimReply> replies = new LinkedHashMap<>();
    replies.put(1, new ClaimReply(true, b, image(5, 3, 2, 1, 2, 3)));
    assertThat(QuorumController.claimOutcome(b, Set.of(1, 2, 3), replies)).isNull();
    replies.put(3, new ClaimReply(true, b, image(7, 3, 2, 1, 2, 3)));
    MetadataImage[] adopted = QuorumController.claimOutcome(b, Set.of(1, 2, 3), replies);
    assertThat(adopted).isNotNull();
    assertThat(adopted[0].version()).isEqualTo(7);
  }

  @Test
  void aHigherBallotBeatsAHigherVersion() {
    Map<Integer, ClaimReply> replies = new LinkedHashMap<>();
    replies.put(1, new ClaimReply(true, b, image(9, 3, 2, 1, 2, 3)));
    replies.put(2, new ClaimReply(true, b, image(8, 4, 3, 1, 2, 3)));
    assertThat(QuorumController.claimOutcome(b, Set.of(1, 2, 3), replies)[0].controllerEpoch()).isEqualTo(4);
  }

  @Test
  void aRefusalNamingAHigherBallotEndsTheClaim() {
    Map<Integer, ClaimReply> replies = Map.of(2, new ClaimReply(false, new Ballot(11, 3), null));
    assertThatThrownBy(() -> QuorumController.claimOutcome(b, Set.of(1, 2, 3), replies))
        .hasMessageContaining("11/3");
  }

  @Test
  void aNewClusterNeedsEveryMemberPresent() {
    Map<Integer, ClaimReply> replies = new LinkedHashMap<>();
    replies.put(1, new ClaimReply(true, b, null));
    replies.put(2, new ClaimReply(true, b, null));
    assertThat(QuorumController.claimOutcome(b, Set.of(1, 2, 3), replies)).isNull();
    replies.put(3, new ClaimReply(true, b, null));
    assertThat(QuorumController.claimOutcome(b, Set.of(1, 2, 3), replies)).containsExactly((MetadataImage) null);
  }

  @Test
  void majoritiesCountOnlyRegisteredBrokers() {
    assertThat(QuorumController.isMajority(Set.of(1, 4, 5), Set.of(1, 2, 3))).isFalse();
    assertThat(QuorumController.isMajority(Set.of(1, 2), Set.of(1, 2, 3))).isTrue();
    assertThat(QuorumController.isMajority(Set.of(), Set.of())).isTrue();
  }
}
