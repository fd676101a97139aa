package io.millrace.connect.herder;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.connect.runtime.TaskId;
import io.millrace.connect.storage.ClusterConfigState;
import io.millrace.connect.storage.TargetState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AssignorTest {
  private static ClusterConfigState state(Map<String, Integer> tasks,
      Map<String, TargetState> targets) {
    Map<String, Map<String, String>> configs = new java.util.HashMap<>();
    Map<String, List<Map<String, String>>> taskConfigs = new java.util.HashMap<>();
    tasks.forEach((c, n) -> {
      configs.put(c, Map.of("name", c));
      List<Map<String, String>> l = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        l.add(Map.of("i", "" + i));
      }
      taskConfigs.put(c, l);
    });
    return new ClusterConfigState(1, configs, targets, taskConfigs);
  }

  @Test
  void everyConnectorAndTaskGoesToExactlyOneWorker() {
    ClusterConfigState s = state(Map.of("a", 3, "b", 2, "c", 1), Map.of());
    Map<String, WorkAssignment> out = Assignor.assign(List.of("w2", "w1", "w3"), "w1", s);
    Set<String> connectors = new HashSet<>();
    Set<TaskId> tasks = new HashSet<>();
    int most = 0;
    int least = Integer.MAX_VALUE;
    for (WorkAssignment a : out.values()) {
      a.connectors().forEach(c -> assertThat(connectors.add(c)).isTrue());
      a.tasks().forEach(t -> assertThat(tasks.add(t)).isTrue());
      int load = a.connectors().size() + a.tasks().size();
      most = Math.max(most, load);
      least = Math.min(least, load);
    }
    assertThat(connectors).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(tasks).hasSize(6);
    assertThat(most - least).isLessThanOrEqualTo(1);
  }

  @Test
  void theAnswerDependsOnlyOnMembersAndConfig() {
    ClusterConfigState s = state(Map.of("a", 2, "b", 2), Map.of());
    assertThat(Assignor.assign(List.of("x", "y"), "x", s))
        .isEqualTo(Assignor.assign(List.of("y", "x"), "x", s));
  }

  @Test
  void stoppedConnectorsKeepTheirConnectorButNoTasks() {
    ClusterConfigState s = state(Map.of("a", 2), Map.of("a", TargetState.STOPPED));
    WorkAssignment only = Assignor.assign(List.of("w"), "w", s).get("w");
    assertThat(only.connectors()).containsExactly("a");
    assertThat(only.tasks()).isEmpty();
    assertThat(only.shape()).containsEntry("a", 0);
  }

  @Test
  void assignmentsSurviveTheirJsonForm() {
    WorkAssignment a = new WorkAssignment(-1, "w1", List.of("a"),
        List.of(new TaskId("a", 0), new TaskId("b-with-dash", 3)), Map.of("a", 1, "b-with-dash", 4));
    assertThat(WorkAssignment.fromJson(a.toJson(), 7)).isEqualTo(a.withGeneration(7));
  }
}
