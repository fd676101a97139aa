package io.millrace.connect.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Claims of connector names decided from the log alone, on a real {@link FileLog}. */
class ConfigStoreTest {
  private static final long LATER = Long.MAX_VALUE / 2;
  @TempDir Path dir;

  private ConfigStore open(List<RestartRequest> restarts) {
    ConfigStore store = new ConfigStore(new FileLog(dir.resolve("configs.json")),
        new ConfigStore.Listener() {
          @Override
          public void onConfigChange(ClusterConfigState state) {}

          @Override
          public void onRestartRequest(RestartRequest request) {
            restarts.add(request);
          }
        });
    store.start().join();
    return store;
  }

  @Test
  void theFirstClaimOfAFreeNameWinsAndLaterOnesLose() {
    ConfigStore store = open(new ArrayList<>());
    assertThat(store.claimName("a", LATER).join()).isTrue();
    assertThat(store.claimName("a", LATER).join()).isFalse();
    assertThat(store.claimName("b", LATER).join()).isTrue();
  }

  @Test
  void aNameWithAConnectorCannotBeClaimedUntilTheConnectorIsDeleted() {
    ConfigStore store = open(new ArrayList<>());
    assertThat(store.claimName("a", LATER).join()).isTrue();
    store.putConnectorConfig("a", Map.of("connector.class", "X")).join();
    assertThat(store.claimName("a", LATER).join()).isFalse();
    store.removeConnector("a").join();
    assertThat(store.snapshot().contains("a")).isFalse();
    assertThat(store.claimName("a", LATER).join()).isTrue();
  }

  @Test
  void aClaimWhoseMakerNeverWroteTheConfigStopsHoldingTheNameWhenItExpires() {
    ConfigStore store = open(new ArrayList<>());
    assertThat(store.claimName("a", System.currentTimeMillis() - 1).join()).isTrue();
    assertThat(store.claimName("a", LATER).join()).isTrue();
    assertThat(store.claimName("a", LATER).join()).isFalse();
  }

  @Test
  void claimsNeverChangeTheConfigsAReplayRebuilds() {
    ConfigStore store = open(new ArrayList<>());
    store.claimName("a", LATER).join();
    store.putTargetState("a", TargetState.PAUSED).join();
    store.putConnectorConfig("a", Map.of("connector.class", "X", "topic", "first")).join();
    store.claimName("a", LATER).join(); // a create that lost: the last record of its key
    store.claimName("b", LATER).join(); // a create that never wrote its config
    ClusterConfigState before = store.snapshot();
    store.close();

    ConfigStore replayed = open(new ArrayList<>());
    ClusterConfigState after = replayed.snapshot();
    assertThat(after.connectorConfigs()).isEqualTo(before.connectorConfigs())
        .containsOnlyKeys("a");
    assertThat(after.connectorConfigs().get("a")).containsEntry("topic", "first");
    assertThat(after.targetState("a")).isEqualTo(TargetState.PAUSED);
  }

  @Test
  void restartRequestsInTheLogAreHistoryAndNotDeliveredAgain() {
    List<RestartRequest> heard = new ArrayList<>();
    ConfigStore store = open(heard);
    store.putConnectorConfig("a", Map.of("connector.class", "X")).join();
    store.requestRestart(new RestartRequest("a", -1, true, false)).join();
    assertThat(heard).containsExactly(new RestartRequest("a", -1, true, false));
    store.close();
    List<RestartRequest> heardAfterRestart = new ArrayList<>();
    open(heardAfterRestart);
    assertThat(heardAfterRestart).isEmpty();
  }
}
