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
 * has a different shape asks for a new assignment. {@code rejoin} tells a worker that the
 * leader took work away from it: once it has stopped that work it rejoins, and the next
 * assignment gives the work to another worker (never to two at once).
 */
public record WorkAssignment(long generation, String leader, List<String> connectors,
    List<TaskId> tasks, Map<String, Integer> shape, boolean rejoin) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public WorkAssignment {
    connectors = List.copyOf(connectors);
    tasks = List.copyOf(tasks);
    shape = Map.copyOf(shape);
  }

  public WorkAssignment withGeneration(long g) {
    return new WorkAssignment(g, leader, connectors, tasks, shape, rejoin);
  }

  public byte[] toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", 1);
    m.put("leader", leader);
    m.put("connectors", connectors);
    m.put("tasks", Owned.taskList(tasks));
    m.put("shape", shape);
    m.put("rejoin", rejoin);
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
      Map<String, Integer> shape = new LinkedHashMap<>();
      ((Map<String, Number>) m.get("shape")).forEach((k, v) -> shape.put(k, v.intValue()));
      return new WorkAssignment(generation, (String) m.get("leader"),
          (List<String>) m.get("connectors"), Owned.tasks((List<List<Object>>) m.get("tasks")),
          shape, Boolean.TRUE.equals(m.get("rejoin")));
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable assignment", e);
    }
  }

  /** What a worker runs (or is still stopping) as it joins: sent in its subscription. */
  public record Owned(String worker, List<String> connectors, List<TaskId> tasks) {
    public Owned {
      connectors = List.copyOf(connectors);
      tasks = List.copyOf(tasks);
    }

    public byte[] toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("worker", worker);
      m.put("connectors", connectors);
      m.put("tasks", taskList(tasks));
      try {
        return JSON.writeValueAsBytes(m);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @SuppressWarnings("unchecked")
    public static Owned fromJson(byte[] bytes) {
      try {
        Map<String, Object> m = JSON.readValue(bytes, Map.class);
        return new Owned((String) m.get("worker"), (List<String>) m.get("connectors"),
            tasks((List<List<Object>>) m.get("tasks")));
      } catch (IOException e) {
        throw new UncheckedIOException("unreadable subscription", e);
      }
    }

    static List<List<Object>> taskList(List<TaskId> tasks) {
      List<List<Object>> t = new ArrayList<>();
      for (TaskId id : tasks) {
        t.add(List.of(id.connector(), id.task()));
      }
      return t;
    }

    static List<TaskId> tasks(List<List<Object>> raw) {
      List<TaskId> out = new ArrayList<>();
      for (List<Object> t : raw) {
        out.add(new TaskId((String) t.get(0), ((Number) t.get(1)).intValue()));
      }
      return out;
    }
  }
}
