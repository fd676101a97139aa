package io.millrace.streams.internals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.streams.processor.TaskId;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TaskAssignorTest {
  private static final UUID A = new UUID(0, 1);
  private static final UUID B = new UUID(0, 2);
  private static final UUID C = new UUID(0, 3);

  private static Set<TaskId> tasks(int subtopologies, int partitions) {
    Set<TaskId> t = new TreeSet<>();
    for (int s = 0; s < subtopologies; s++) {
      for (int p = 0; p < partitions; p++) {
        t.add(new TaskId(s, p));
      }
    }
    return t;
  }

  private static Set<TaskId> ids(String... names) {
    Set<TaskId> s = new TreeSet<>();
    for (String n : names) {
      s.add(TaskId.parse(n));
    }
    return s;
  }

  private static Map<UUID, TaskAssignor.Client> clients() {
    return new LinkedHashMap<>();
  }

  private static void member(Map<UUID, TaskAssignor.Client> c, UUID p, String member, Set<TaskId> prevActive,
      Set<TaskId> prevStandby, Set<TaskId> state) {
    c.computeIfAbsent(p, TaskAssignor.Client::new).addMember(member, prevActive, prevStandby, state);
  }

  private static Set<TaskId> activeOf(Map<String, TaskAssignor.MemberAssignment> r, String... members) {
    Set<TaskId> s = new TreeSet<>();
    for (String m : members) {
      s.addAll(r.get(m).active());
    }
    return s;
  }

  @Test
  void balancesByCapacityAndCoversEveryTaskOnce() {
    Map<UUID, TaskAssignor.Client> c = clients();
    member(c, A, "a1", Set.of(), Set.of(), Set.of());
    member(c, A, "a2", Set.of(), Set.of(), Set.of());
    member(c, B, "b1", Set.of(), Set.of(), Set.of());
    var r = TaskAssignor.assign(c, tasks(2, 3), 0);
    assertThat(activeOf(r, "a1", "a2")).hasSize(4);
    assertThat(activeOf(r, "b1")).hasSize(2);
    assertThat(r.get("a1").active()).hasSize(2);
    Set<TaskId> all = new HashSet<>(activeOf(r, "a1", "a2"));
    all.addAll(activeOf(r, "b1"));
    assertThat(all).isEqualTo(tasks(2, 3));
  }

  @Test
  void tasksStayWhereTheyWereWhenBalanced() {
    Map<UUID, TaskAssignor.Client> c = clients();
    member(c, A, "a1", ids("0_0", "1_2", "0_2"), Set.of(), Set.of());
    member(c, B, "b1", ids("0_1", "1_0", "1_1"), Set.of(), Set.of());
    var r = TaskAssignor.assign(c, tasks(2, 3), 0);
    assertThat(r.get("a1").active()).isEqualTo(ids("0_0", "0_2", "1_2"));
    assertThat(r.get("b1").active()).isEqualTo(ids("0_1", "1_0", "1_1"));
  }

  @Test
  void aNewInstanceTakesOnlyItsShare() {
    Map<UUID, TaskAssignor.Client> c = clients();
    member(c, A, "a1", tasks(2, 3), Set.of(), Set.of());
    member(c, B, "b1", Set.of(), Set.of(), Set.of());
    var r = TaskAssignor.assign(c, tasks(2, 3), 0);
    assertThat(r.get("a1").active()).hasSize(3);
    assertThat(r.get("b1").active()).hasSize(3);
  }

  @Test
  void orphanedTasksPreferTheInstanceHoldingTheirState() {
    Map<UUID, TaskAssignor.Client> c = clients();
    member(c, A, "a1", ids("0_0"), Set.of(), Set.of());
    member(c, B, "b1", ids("0_1"), ids("0_2"), Set.of());
    member(c, C, "c1", Set.of(), Set.of(), Set.of());
    var r = TaskAssignor.assign(c, tasks(1, 3), 0);
    assertThat(r.get("b1").active()).contains(TaskId.parse("0_1"));
    assertThat(r.get("c1").active()).containsExactly(TaskId.parse("0_2"));
    Map<UUID, TaskAssignor.Client> d = clients();
    member(d, A, "a1", ids("0_0"), Set.of(), Set.of());
    member(d, B, "b1", Set.of(), ids("0_1"), ids("0_2"));
    var r2 = TaskAssignor.assign(d, tasks(1, 3), 0);
    assertThat(r2.get("b1").active()).contains(TaskId.parse("0_1"));
  }

  @Test
  void standbysGoToOtherInstancesOnly() {
    Map<UUID, TaskAssignor.Client> c = clients();
    member(c, A, "a1", Set.of(), Set.of(), Set.of());
    member(c, A, "a2", Set.of(), Set.of(), Set.of());
    member(c, B, "b1", Set.of(), Set.of(), Set.of());
    var r = TaskAssignor.assign(c, tasks(2, 3), 1);
    Set<TaskId> activeA = activeOf(r, "a1", "a2");
    Set<TaskId> standbyA = new TreeSet<>(r.get("a1").standby());
    standbyA.addAll(r.get("a2").standby());
    Set<TaskId> activeB = activeOf(r, "b1");
    Set<TaskId> standbyB = r.get("b1").standby();
    assertThat(standbyA).doesNotContainAnyElementsOf(activeA).isEqualTo(activeB);
    assertThat(standbyB).doesNotContainAnyElementsOf(activeB).isEqualTo(activeA);
  }

  @Test
  void aSingleInstanceGetsNoStandbys() {
    Map<UUID, TaskAssignor.Client> c = clients();
    member(c, A, "a1", Set.of(), Set.of(), Set.of());
    var r = TaskAssignor.assign(c, tasks(1, 4), 2);
    assertThat(r.get("a1").active()).hasSize(4);
    assertThat(r.get("a1").standby()).isEmpty();
  }

  @Test
  void threadsKeepTheirTasksWithinAnInstance() {
    Map<UUID, TaskAssignor.Client> c = clients();
    member(c, A, "a1", ids("0_1", "0_3"), Set.of(), Set.of());
    member(c, A, "a2", ids("0_0", "0_2"), Set.of(), Set.of());
    var r = TaskAssignor.assign(c, tasks(1, 4), 0);
    assertThat(r.get("a1").active()).isEqualTo(ids("0_1", "0_3"));
    assertThat(r.get("a2").active()).isEqualTo(ids("0_0", "0_2"));
  }

  @Test
  void moreThreadsThanTasksLeavesSomeIdle() {
    Map<UUID, TaskAssignor.Client> c = clients();
    for (int i = 0; i < 4; i++) {
      member(c, A, "a" + i, Set.of(), Set.of(), Set.of());
    }
    var r = TaskAssignor.assign(c, tasks(1, 2), 0);
    assertThat(r.values().stream().filter(m -> !m.active().isEmpty()).count()).isEqualTo(2);
  }

  @Test
  void theSameInputGivesTheSameAssignment() {
    Map<String, TaskAssignor.MemberAssignment> first = null;
    for (int run = 0; run < 3; run++) {
      Map<UUID, TaskAssignor.Client> c = clients();
      member(c, B, "b1", ids("0_1"), Set.of(), Set.of());
      member(c, A, "a1", Set.of(), Set.of(), ids("1_1"));
      member(c, C, "c1", Set.of(), Set.of(), Set.of());
      var r = TaskAssignor.assign(c, tasks(3, 4), 1);
      if (first == null) {
        first = r;
      } else {
        assertThat(r).isEqualTo(first);
      }
    }
  }

  @Test
  void aJoiningInstanceGetsMovingTasksOnlyAfterTheirOwnerReleasedThem() {
    Set<TaskId> all = tasks(1, 6);
    // Round 1: a1 owns everything; b1 joins. a1 keeps half; the other half is withheld from b1
    // (kept as standbys there, to warm up) while a1 still owns it.
    Map<UUID, TaskAssignor.Client> c = clients();
    member(c, A, "a1", all, Set.of(), all);
    member(c, B, "b1", Set.of(), Set.of(), Set.of());
    var target = TaskAssignor.assign(c, all, 0);
    Map<TaskId, Set<String>> owners = new LinkedHashMap<>();
    all.forEach(t -> owners.put(t, Set.of("a1")));
    var round1 = TaskAssignor.withholdOwnedElsewhere(target, owners);
    assertThat(round1.get("a1").active()).isEqualTo(target.get("a1").active()).hasSize(3);
    assertThat(round1.get("b1").active()).isEmpty();
    assertThat(round1.get("b1").standby()).isEqualTo(target.get("b1").active()).hasSize(3);

    // Round 2: a1 revoked them and rejoined owning only its half; b1 holds them as standbys.
    Set<TaskId> kept = round1.get("a1").active();
    Set<TaskId> moving = round1.get("b1").standby();
    Map<UUID, TaskAssignor.Client> c2 = clients();
    member(c2, A, "a1", kept, Set.of(), all);
    member(c2, B, "b1", Set.of(), moving, moving);
    Map<TaskId, Set<String>> owners2 = new LinkedHashMap<>();
    kept.forEach(t -> owners2.put(t, Set.of("a1")));
    var round2 = TaskAssignor.withholdOwnedElsewhere(TaskAssignor.assign(c2, all, 0), owners2);
    assertThat(round2.get("a1").active()).isEqualTo(kept);
    assertThat(round2.get("b1").active()).isEqualTo(moving);
    assertThat(round2.get("b1").standby()).isEmpty();
  }

  @Test
  void aTaskClaimedByTwoMembersGoesToNeitherNewMember() {
    TaskId t = TaskId.parse("0_0");
    var placed = Map.of("b1", new TaskAssignor.MemberAssignment(Set.of(t), Set.of()),
        "a1", new TaskAssignor.MemberAssignment(Set.of(), Set.of()));
    assertThat(TaskAssignor.withholdOwnedElsewhere(placed, Map.of(t, Set.of("a1", "b1"))).get("b1").active())
        .isEmpty();
    assertThat(TaskAssignor.withholdOwnedElsewhere(placed, Map.of(t, Set.of("b1"))).get("b1").active())
        .containsExactly(t);
  }
}
