package io.millrace.connect.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connector and task statuses in a {@link KeyValueLog}: key {@code status-connector-NAME} or
 * {@code status-task-NAME-ID}, value {@code {"state", "trace", "worker_id", "generation"}}.
 * Each worker writes the statuses of what it runs; every worker reads all of them to answer
 * {@code /status}. Thread-safe.
 */
public final class StatusStore implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONNECTOR = "status-connector-";
  private static final String TASK = "status-task-";

  /** The state of a connector or task, as the REST API shows it. */
  public enum State {
    UNASSIGNED, RUNNING, PAUSED, FAILED, RESTARTING, STOPPED, DESTROYED
  }

  /** One status: which worker says so, in which generation, and the failure if any. */
  public record Status(State state, String trace, String workerId, long generation) {}

  private final KeyValueLog log;
  private final Map<String, Status> connectors = new ConcurrentHashMap<>();
  private final Map<String, Map<Integer, Status>> tasks = new ConcurrentHashMap<>();

  public StatusStore(KeyValueLog log) {
    this.log = log;
  }

  public CompletableFuture<Void> start() {
    return log.start(this::apply);
  }

  public Status connector(String name) {
    return connectors.get(name);
  }

  public Map<Integer, Status> tasks(String name) {
    return Map.copyOf(tasks.getOrDefault(name, Map.of()));
  }

  public CompletableFuture<Void> putConnector(String name, Status status) {
    return write(CONNECTOR + name, status);
  }

  public CompletableFuture<Void> putTask(String name, int task, Status status) {
    return write(TASK + name + "-" + task, status);
  }

  /** Deletes the statuses of a removed connector and its tasks. */
  public CompletableFuture<Void> remove(String name) {
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    sent.add(write(CONNECTOR + name, null));
    for (Integer t : tasks(name).keySet()) {
      sent.add(write(TASK + name + "-" + t, null));
    }
    return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
  }

  /** Deletes the statuses of tasks numbered {@code from} and above (the connector shrank). */
  public CompletableFuture<Void> removeTasksFrom(String name, int from) {
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    for (Integer t : tasks(name).keySet()) {
      if (t >= from) {
        sent.add(write(TASK + name + "-" + t, null));
      }
    }
    return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
  }

  private CompletableFuture<Void> write(String key, Status s) {
    byte[] value = null;
    if (s != null) {
      Map<String, Object> m = new HashMap<>();
      m.put("state", s.state().name());
      m.put("trace", s.trace());
      m.put("worker_id", s.workerId());
      m.put("generation", s.generation());
      try {
        value = JSON.writeValueAsBytes(m);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return log.send(key.getBytes(StandardCharsets.UTF_8), value);
  }

  private void apply(byte[] keyBytes, byte[] valueBytes) {
    String key = new String(keyBytes, StandardCharsets.UTF_8);
    Status status = null;
    if (valueBytes != null) {
      try {
        Map<?, ?> m = JSON.readValue(valueBytes, Map.class);
        status = new Status(State.valueOf((String) m.get("state")), (String) m.get("trace"),
            (String) m.get("worker_id"), ((Number) m.get("generation")).longValue());
      } catch (IOException e) {
        throw new IllegalArgumentException("status record " + key + " is not JSON", e);
      }
    }
    if (key.startsWith(CONNECTOR)) {
      String name = key.substring(CONNECTOR.length());
      if (status == null) {
        connectors.remove(name);
      } else {
        connectors.put(name, status);
      }
    } else if (key.startsWith(TASK)) {
      String rest = key.substring(TASK.length());
      int dash = rest.lastIndexOf('-');
      String name = rest.substring(0, dash);
      int id = Integer.parseInt(rest.substring(dash + 1));
      if (status == null) {
        Map<Integer, Status> own = tasks.get(name);
        if (own != null) {
          own.remove(id);
        }
      } else {
        tasks.computeIfAbsent(name, n -> new ConcurrentHashMap<>()).put(id, status);
      }
    }
  }

  @Override
  public void close() {
    log.close();
  }
}
