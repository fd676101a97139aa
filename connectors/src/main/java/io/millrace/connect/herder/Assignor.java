package io.millrace.connect.herder;

import io.millrace.connect.herder.WorkAssignment.Owned;
import io.millrace.connect.runtime.TaskId;
import io.millrace.connect.storage.ClusterConfigState;
import io.millrace.connect.storage.TargetState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Spreads connectors and tasks over the workers of a group, incrementally: a worker keeps
 * what it runs (so a rebalance stops nothing that need not move); work nobody runs (new, or
 * left by a dead worker) goes to the least loaded workers; a worker above its fair share gives
 * the excess up, and that work is assigned to others only in the next round, after the worker
 * has stopped it and rejoined. A pure function of the members' subscriptions and the config.
 */
public final class Assignor {
  private Assignor() {}

  /** The shape of a config: each connector's task count (0 while stopped). */
  public static Map<String, Integer> shape(ClusterConfigState state) {
    Map<String, Integer> shape = new TreeMap<>();
    for (String c : state.connectors()) {
      shape.put(c, state.targetState(c) == TargetState.STOPPED ? 0 : state.tasks(c).size());
    }
    return shape;
  }

  /** One unit of work: a connector (task = -1) or a task. */
  private record Item(String connector, int task) {
    static Item of(TaskId t) {
      return new Item(t.connector(), t.task());
    }
  }

  public static Map<String, WorkAssignment> assign(List<Owned> members, String leader,
      ClusterConfigState state) {
    Map<String, Integer> shape = shape(state);
    List<Owned> sorted = new ArrayList<>(members);
    sorted.sort(Comparator.comparing(Owned::worker));
    // connectors and tasks are balanced each on their own: tasks do the work
    Set<Item> connectors = new LinkedHashSet<>();
    Set<Item> tasks = new LinkedHashSet<>();
    shape.forEach((c, n) -> {
      connectors.add(new Item(c, -1));
      for (int t = 0; t < n; t++) {
        tasks.add(new Item(c, t));
      }
    });
    Set<String> revokedFrom = new HashSet<>();
    Map<String, List<Item>> connectorsOf = spread(sorted, connectors, revokedFrom);
    Map<String, List<Item>> tasksOf = spread(sorted, tasks, revokedFrom);
    Map<String, WorkAssignment> out = new LinkedHashMap<>();
    for (Owned m : sorted) {
      String w = m.worker();
      List<String> cs = connectorsOf.get(w).stream().map(Item::connector).toList();
      List<TaskId> ts = tasksOf.get(w).stream().map(i -> new TaskId(i.connector(), i.task()))
          .toList();
      out.put(w, new WorkAssignment(-1, leader, cs, ts, shape, revokedFrom.contains(w)));
    }
    return out;
  }

  /** One pool of items: keep what members own, trim to fair shares, spread the rest. */
  private static Map<String, List<Item>> spread(List<Owned> members, Set<Item> all,
      Set<String> revokedFrom) {
    Map<String, List<Item>> kept = new LinkedHashMap<>();
    Set<Item> claimed = new HashSet<>();
    for (Owned m : members) {
      List<Item> mine = new ArrayList<>();
      m.connectors().forEach(c -> keep(new Item(c, -1), all, claimed, mine));
      m.tasks().forEach(t -> keep(Item.of(t), all, claimed, mine));
      kept.put(m.worker(), mine);
    }
    revokedFrom.addAll(revokeExcess(kept, all.size()));
    for (Item item : all) {
      if (claimed.contains(item)) {
        continue;
      }
      String least = null;
      for (Map.Entry<String, List<Item>> e : kept.entrySet()) {
        if (least == null || e.getValue().size() < kept.get(least).size()) {
          least = e.getKey();
        }
      }
      kept.get(least).add(item);
    }
    return kept;
  }

  private static void keep(Item item, Set<Item> all, Set<Item> claimed, List<Item> mine) {
    if (all.contains(item) && claimed.add(item)) {
      mine.add(item);
    }
  }

  /**
   * Trims each worker to its fair share: the {@code total % n} most loaded workers may keep
   * one more than {@code total / n}. Returns the workers that gave work up; that work stays
   * claimed (unassigned) for this round.
   */
  private static Set<String> revokeExcess(Map<String, List<Item>> kept, int total) {
    int n = kept.size();
    int floor = total / n;
    int extra = total % n;
    List<String> byLoad = new ArrayList<>(kept.keySet());
    byLoad.sort(Comparator.comparing((String w) -> -kept.get(w).size())
        .thenComparing(w -> w));
    Set<String> revokedFrom = new HashSet<>();
    for (int i = 0; i < byLoad.size(); i++) {
      List<Item> mine = kept.get(byLoad.get(i));
      int cap = floor + (i < extra ? 1 : 0);
      if (mine.size() > cap) {
        mine.subList(cap, mine.size()).clear();
        revokedFrom.add(byLoad.get(i));
      }
    }
    return revokedFrom;
  }
}
