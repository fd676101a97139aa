package io.millrace.connect.herder;

import io.millrace.connect.runtime.TaskId;
import io.millrace.connect.storage.ClusterConfigState;
import io.millrace.connect.storage.TargetState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Spreads connectors and tasks over the workers of a group, round robin over workers sorted by
 * id: first the connectors, then the tasks, continuing where the connectors stopped. A pure
 * function of the member list and the config, so every run gives the same answer.
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

  public static Map<String, WorkAssignment> assign(List<String> workers, String leader,
      ClusterConfigState state) {
    List<String> sorted = new ArrayList<>(workers);
    sorted.sort(null);
    Map<String, List<String>> connectors = new LinkedHashMap<>();
    Map<String, List<TaskId>> tasks = new LinkedHashMap<>();
    for (String w : sorted) {
      connectors.put(w, new ArrayList<>());
      tasks.put(w, new ArrayList<>());
    }
    Map<String, Integer> shape = shape(state);
    int next = 0;
    for (String c : shape.keySet()) {
      connectors.get(sorted.get(next++ % sorted.size())).add(c);
    }
    for (Map.Entry<String, Integer> e : shape.entrySet()) {
      for (int t = 0; t < e.getValue(); t++) {
        tasks.get(sorted.get(next++ % sorted.size())).add(new TaskId(e.getKey(), t));
      }
    }
    Map<String, WorkAssignment> out = new LinkedHashMap<>();
    for (String w : sorted) {
      out.put(w, new WorkAssignment(-1, leader, connectors.get(w), tasks.get(w), shape));
    }
    return out;
  }
}
