package io.millrace.connect.herder;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.connect.runtime.TaskId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one worker runs in one generation of the group: its connectors and tasks, with the
 * shape (connector → task count) of the config the leader assigned from. A worker whose config
 * has a different shape asks for a new assignment.
 */
public record WorkAssignment(long generation, String leader, List<String> connectors,
    List<TaskId> tasks, Map<String, Integer> shape) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public WorkAssignment {
    connectors = List.copyOf(connectors);
    tasks = List.copyOf(tasks);
    shape = Map.copyOf(shape);
  }

  public WorkAssignment withGeneration(long g) {
    return new WorkAssignment(g, leader, connectors, tasks, shape);
  }

  public byte[] toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", 1);
    m.put("leader", leader);
    m.put("connectors", connectors);
    List<List<Object>> t = new ArrayList<>();
    for (TaskId id : tasks) {
      t.add(List.of(id.connector(), id.task()));
    }
    m.put("tasks", t);
    m.put("shape", shape);
    try {
      return JSON.writeValueAsBytes(m);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  public static WorkAssignment fromJson(byte[] bytes, long generation) {
    try {
      Map<String, Object> m = JSON.readValue(bytes, Map.class);
      List<TaskId> tasks = new ArrayList<>();
      for (List<Object> t : (List<List<Object>>) m.get("tasks")) {
        tasks.add(new TaskId((String) t.get(0), ((Number) t.get(1)).intValue()));
      }
      Map<String, Integer> shape = new LinkedHashMap<>();
      ((Map<String, Number>) m.get("shape")).forEach((k, v) -> shape.put(k, v.intValue()));
      return new WorkAssignment(generation, (String) m.get("leader"),
          (List<String>) m.get("connectors"), tasks, shape);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable assignment", e);
    }
  }
}
