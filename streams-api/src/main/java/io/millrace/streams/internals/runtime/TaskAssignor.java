package io.millrace.streams.internals.runtime;

import io.millrace.streams.processor.TaskId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Places tasks on the application's instances ("clients", one per process id) and their stream
 * threads ("members"): a pure function, so it is tested without a group.
 *
 * <ol>
 *   <li>Active tasks are balanced by capacity (threads): each client gets at most its share,
 *       rounded up. A task stays where it was active if that client has room (no needless
 *       moves); else it goes to a client with its state (a standby or a checkpoint), so little
 *       is restored; else to the least loaded client.
 *   <li>Each task gets {@code numStandbys} standbys on other clients, preferring clients that
 *       already hold its state, then the fewest standbys.
 *   <li>Within a client, tasks stay on the thread that had them when it has room, else go to
 *       the least loaded thread.
 * </ol>
 *
 * Ties break by task id and process id, so every leader computes the same assignment. {@link
 * #withholdOwnedElsewhere} then applies the cooperative protocol's rule: a task moves in two
 * rebalances, first away from its owner, then to its new member.
 */
final class TaskAssignor {

  /** One instance as the leader sees it. */
  static final class Client {
    final UUID processId;
    final List<String> members = new ArrayList<>();
    final Map<String, Set<TaskId>> previousActiveByMember = new HashMap<>();
    final Map<String, Set<TaskId>> previousStandbyByMember = new HashMap<>();
    final Set<TaskId> previousActive = new HashSet<>();
    final Set<TaskId> withState = new HashSet<>();
    final Set<TaskId> active = new TreeSet<>();
    final Set<TaskId> standby = new TreeSet<>();

    Client(UUID processId) {
      this.processId = processId;
    }

    void addMember(String memberId, Set<TaskId> prevActive, Set<TaskId> prevStandby, Set<TaskId> state) {
      members.add(memberId);
      members.sort(Comparator.naturalOrder());
      previousActiveByMember.put(memberId, prevActive);
      previousStandbyByMember.put(memberId, prevStandby);
      previousActive.addAll(prevActive);
      withState.addAll(state);
      withState.addAll(prevStandby);
      withState.addAll(prevActive);
    }

    int capacity() {
      return members.size();
    }

    double load(int extra) {
      return (active.size() + extra) / (double) capacity();
    }
  }

  /** The result for one member. */
  record MemberAssignment(Set<TaskId> active, Set<TaskId> standby) {}

  private TaskAssignor() {}

  static Map<String, MemberAssignment> assign(Map<UUID, Client> clients, Set<TaskId> tasks, int numStandbys) {
    List<Client> ordered = new ArrayList<>(clients.values());
    ordered.sort(Comparator.comparing(c -> c.processId));
    assignActive(ordered, new TreeSet<>(tasks));
    assignStandbys(ordered, new TreeSet<>(tasks), numStandbys);
    Map<String, MemberAssignment> result = new LinkedHashMap<>();
    for (Client c : ordered) {
      result.putAll(distribute(c));
    }
    return result;
  }

  /**
   * The cooperative protocol's rule on top of a placement: a partition goes to a member only once
   * no other member owns it. An active task placed on a member while another member still owns
   * it is withheld this round (the owner's assignment lacks it, so the owner revokes it and
   * rejoins at once) and given to its new member as a standby meanwhile, which starts warming
   * its stores; the next rebalance places the task again, now free.
   *
   * @param owners the members whose subscriptions say they own each task's partitions
   */
  static Map<String, MemberAssignment> withholdOwnedElsewhere(
      Map<String, MemberAssignment> placed, Map<TaskId, Set<String>> owners) {
    Map<String, MemberAssignment> out = new LinkedHashMap<>();
    placed.forEach((member, a) -> {
      Set<TaskId> active = new TreeSet<>();
      Set<TaskId> standby = new TreeSet<>(a.standby());
      for (TaskId t : a.active()) {
        Set<String> current = owners.getOrDefault(t, Set.of());
        if (current.isEmpty() || current.equals(Set.of(member))) {
          active.add(t);
        } else {
          standby.add(t);
        }
      }
      out.put(member, new MemberAssignment(active, standby));
    });
    return out;
  }

  private static void assignActive(List<Client> clients, TreeSet<TaskId> tasks) {
    int totalCapacity = clients.stream().mapToInt(Client::capacity).sum();
    Map<Client, Integer> quota = new HashMap<>();
    for (Client c : clients) {
      quota.put(c, (int) Math.ceil(tasks.size() * (double) c.capacity() / totalCapacity));
    }
    List<TaskId> unassigned = new ArrayList<>();
    for (TaskId t : tasks) {
      Client owner = null;
      for (Client c : clients) {
        if (c.previousActive.contains(t) && c.active.size() < quota.get(c)) {
          owner = c;
          break;
        }
      }
      if (owner != null) {
        owner.active.add(t);
      } else {
        unassigned.add(t);
      }
    }
    for (TaskId t : unassigned) {
      Client best = null;
      for (Client c : clients) {
        if (c.active.size() >= quota.get(c)) {
          continue;
        }
        if (best == null || better(c, best, t)) {
          best = c;
        }
      }
      if (best == null) {
        best = clients.stream().min(Comparator.comparingDouble(c -> c.load(0))).orElseThrow();
      }
      best.active.add(t);
    }
  }

  /** Prefer a client holding the task's state, then the least loaded. */
  private static boolean better(Client c, Client best, TaskId t) {
    boolean cState = c.withState.contains(t);
    boolean bestState = best.withState.contains(t);
    if (cState != bestState) {
      return cState;
    }
    return c.load(1) < best.load(1);
  }

  private static void assignStandbys(List<Client> clients, TreeSet<TaskId> tasks, int numStandbys) {
    for (int round = 0; round < numStandbys; round++) {
      for (TaskId t : tasks) {
        Client best = null;
        for (Client c : clients) {
          if (c.active.contains(t) || c.standby.contains(t)) {
            continue;
          }
          if (best == null
              || (c.withState.contains(t) && !best.withState.contains(t))
              || (c.withState.contains(t) == best.withState.contains(t)
                  && c.standby.size() / (double) c.capacity() < best.standby.size() / (double) best.capacity())) {
            best = c;
          }
        }
        if (best != null) {
          best.standby.add(t);
        }
      }
    }
  }

  private static Map<String, MemberAssignment> distribute(Client c) {
    Map<String, Set<TaskId>> active = spread(c, c.active, c.previousActiveByMember);
    Map<String, Set<TaskId>> standby = spread(c, c.standby, c.previousStandbyByMember);
    Map<String, MemberAssignment> out = new TreeMap<>();
    for (String m : c.members) {
      out.put(m, new MemberAssignment(active.get(m), standby.get(m)));
    }
    return out;
  }

  private static Map<String, Set<TaskId>> spread(Client c, Set<TaskId> tasks, Map<String, Set<TaskId>> previous) {
    Map<String, Set<TaskId>> out = new LinkedHashMap<>();
    c.members.forEach(m -> out.put(m, new TreeSet<>()));
    int quota = (int) Math.ceil(tasks.size() / (double) c.capacity());
    List<TaskId> rest = new ArrayList<>();
    for (TaskId t : tasks) {
      String owner = null;
      for (String m : c.members) {
        if (previous.getOrDefault(m, Set.of()).contains(t) && out.get(m).size() < quota) {
          owner = m;
          break;
        }
      }
      if (owner == null) {
        rest.add(t);
      } else {
        out.get(owner).add(t);
      }
    }
    for (TaskId t : rest) {
      String least = c.members.stream().min(Comparator.comparingInt((String m) -> out.get(m).size())
          .thenComparing(Comparator.naturalOrder())).orElseThrow();
      out.get(least).add(t);
    }
    return out;
  }
}
