package io.millrace.engine.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplicaPlacementTest {

  static MetadataImage brokers(String... racks) {
    MetadataImage img = MetadataImage.empty("c", 1);
    for (int i = 0; i < racks.length; i++) {
      img = img.withBroker(new BrokerRegistration(i + 1, List.of(new Endpoint("P", "h", 1)),
          Optional.ofNullable(racks[i]), false, "r"));
    }
    return img;
  }

  @Test
  void leadersAndReplicasSpreadEvenly() {
    List<List<Integer>> placed = ReplicaPlacement.place(brokers(null, null, null), 0, 6, 3, 0);
    Map<Integer, Integer> leaders = new HashMap<>();
    Map<Integer, Integer> replicas = new HashMap<>();
    for (List<Integer> r : placed) {
      assertThat(r).hasSize(3).doesNotHaveDuplicates();
      leaders.merge(r.get(0), 1, Integer::sum);
      r.forEach(b -> replicas.merge(b, 1, Integer::sum));
    }
    assertThat(leaders).containsOnly(Map.entry(1, 2), Map.entry(2, 2), Map.entry(3, 2));
    assertThat(replicas.values()).containsOnly(6);
  }

  @Test
  void replicasLandOnDifferentRacks() {
    MetadataImage img = brokers("a", "a", "b", "b", "c", "c");
    for (List<Integer> r : ReplicaPlacement.place(img, 0, 12, 3, 0)) {
      assertThat(r.stream().map(id -> img.brokers().get(id).rack().orElseThrow()).distinct()).hasSize(3);
    }
  }

  @Test
  void fencedBrokersGetNothingAndTooFewLiveBrokersAreRefused() {
    MetadataImage img = brokers(null, null, null);
    img = img.withBroker(img.brokers().get(2).withFenced(true));
    for (List<Integer> r : ReplicaPlacement.place(img, 0, 4, 2, 0)) {
      assertThat(r).doesNotContain(2);
    }
    MetadataImage two = img;
    assertThatThrownBy(() -> ReplicaPlacement.place(two, 0, 1, 3, 0))
        .hasMessageContaining("only 2 broker(s) are registered");
  }
}
