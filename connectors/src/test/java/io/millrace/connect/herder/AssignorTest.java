package io.millrace.connect.herder;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.connect.herder.WorkAssignment.Owned;
import io.millrace.connect.runtime.TaskId;
import io.millrace.connect.storage.ClusterConfigState;
import io.millrace.connect.storage.TargetState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The incremental assignor, round by round, as a group of workers would run it. */
class AssignorTest {
  private static ClusterConfigState state(Map<String, Integer> tasks,
      Map<String, TargetState> targets) {
    Map<String, Map<String, String>> configs = new HashMap<>();
    Map<String, List<Map<String, String>>> taskConfigs = new HashMap<>();
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

  private static Owned none(String w) {
    return new Owned(w, List.of(), List.of());
  }

  private static Owned owns(WorkAssignment a, String w) {
    return new Owned(w, a.connectors(), a.tasks());
  }

  /** Rounds until nobody is asked to rejoin: each worker then owns what it was given. */
  private static Map<String, WorkAssignment> settle(List<Owned> start, ClusterConfigState s) {
    List<Owned> members = start;
    for (int round = 0; round < 5; round++) {
      Map<String, WorkAssignment> out = Assignor.assign(members, "leader", s);
      checkDisjoint(out);
      if (out.values().stream().noneMatch(WorkAssignment::rejoin)) {
        return out;
      }
      List<Owned> next = new ArrayList<>();
      out.forEach((w, a) -> next.add(owns(a, w)));
      members = next;
    }
    throw new AssertionError("did not settle in 5 rounds");
  }

  private static void checkDisjoint(Map<String, WorkAssignment> out) {
    Set<String> connectors = new HashSet<>();
    Set<TaskId> tasks = new HashSet<>();
    for (WorkAssignment a : out.values()) {
      a.connectors().forEach(c -> assertThat(connectors.add(c)).as(c).isTrue());
      a.tasks().forEach(t -> assertThat(tasks.add(t)).as(t.toString()).isTrue());
    }
  }

  private static int load(WorkAssignment a) {
    return a.connectors().size() + a.tasks().size();
  }

  @Test
  void everythingIsAssignedOnceAndBalanced() {
    ClusterConfigState s = state(Map.of("a", 3, "b", 2, "c", 1), Map.of());
    Map<String, WorkAssignment> out = settle(List.of(none("w2"), none("w1"), none("w3")), s);
    assertThat(out.values().stream().mapToInt(AssignorTest::load).sum()).isEqualTo(9);
    assertThat(out.values()).allMatch(a -> a.tasks().size() == 2 && a.connectors().size() == 1);
  }

  @Test
  void workersKeepWhatTheyRun() {
    ClusterConfigState s = state(Map.of("a", 2, "b", 2), Map.of());
    Map<String, WorkAssignment> first = settle(List.of(none("x"), none("y")), s);
    ClusterConfigState more = state(Map.of("a", 2, "b", 2, "c", 2), Map.of());
    Map<String, WorkAssignment> next = Assignor.assign(
        List.of(owns(first.get("x"), "x"), owns(first.get("y"), "y")), "x", more);
    for (String w : List.of("x", "y")) {
      assertThat(next.get(w).tasks()).containsAll(first.get(w).tasks());
      assertThat(next.get(w).connectors()).containsAll(first.get(w).connectors());
      assertThat(next.get(w).rejoin()).isFalse();
    }
  }

  @Test
  void aNewWorkerGetsItsShareInTwoRoundsNeverTwice() {
    ClusterConfigState s = state(Map.of("a", 4, "b", 4), Map.of());
    Map<String, WorkAssignment> alone = settle(List.of(none("w1")), s);
    assertThat(load(alone.get("w1"))).isEqualTo(10);
    Map<String, WorkAssignment> round1 = Assignor.assign(
        List.of(owns(alone.get("w1"), "w1"), none("w2")), "w1", s);
    assertThat(round1.get("w1").rejoin()).isTrue();
    assertThat(round1.get("w1").tasks()).hasSize(4);
    assertThat(round1.get("w1").connectors()).hasSize(1);
    assertThat(load(round1.get("w2"))).isZero(); // what w1 gave up waits for w1 to stop it
    Map<String, WorkAssignment> round2 = Assignor.assign(
        List.of(owns(round1.get("w1"), "w1"), owns(round1.get("w2"), "w2")), "w1", s);
    checkDisjoint(round2);
    assertThat(round2.get("w2").tasks()).hasSize(4);
    assertThat(round2.get("w2").connectors()).hasSize(1);
    assertThat(round2.values()).noneMatch(WorkAssignment::rejoin);
  }

  @Test
  void aDeadWorkersWorkMovesAtOnce() {
    ClusterConfigState s = state(Map.of("a", 3, "b", 3), Map.of());
    Map<String, WorkAssignment> three = settle(List.of(none("w1"), none("w2"), none("w3")), s);
    Map<String, WorkAssignment> two = Assignor.assign(
        List.of(owns(three.get("w1"), "w1"), owns(three.get("w3"), "w3")), "w1", s);
    checkDisjoint(two);
    assertThat(two.values().stream().mapToInt(AssignorTest::load).sum()).isEqualTo(8);
    assertThat(two.values()).noneMatch(WorkAssignment::rejoin);
    assertThat(two.get("w1").tasks()).containsAll(three.get("w1").tasks());
  }

  @Test
  void stoppedConnectorsKeepTheirConnectorButNoTasks() {
    ClusterConfigState s = state(Map.of("a", 2), Map.of("a", TargetState.STOPPED));
    WorkAssignment only = settle(List.of(none("w")), s).get("w");
    assertThat(only.connectors()).containsExactly("a");
    assertThat(only.tasks()).isEmpty();
    assertThat(only.shape()).containsEntry("a", 0);
  }

  @Test
  void deletedWorkIsDropped() {
    Owned stale = new Owned("w", List.of("gone"), List.of(new TaskId("gone", 0)));
    WorkAssignment a = Assignor.assign(List.of(stale), "w", state(Map.of(), Map.of())).get("w");
    assertThat(a.connectors()).isEmpty();
    assertThat(a.tasks()).isEmpty();
  }

  @Test
  void assignmentsAndSubscriptionsSurviveTheirJsonForm() {
    WorkAssignment a = new WorkAssignment(-1, "w1", List.of("a"),
        List.of(new TaskId("a", 0), new TaskId("b-with-dash", 3)), Map.of("a", 1,
        "b-with-dash", 4), true);
    assertThat(WorkAssignment.fromJson(a.toJson(), 7)).isEqualTo(a.withGeneration(7));
    Owned o = new Owned("h:1", List.of("a"), List.of(new TaskId("a", 2)));
    assertThat(Owned.fromJson(o.toJson())).isEqualTo(o);
  }
}
