package io.millrace.connect.storage;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Connector configs, target states and task configs in a {@link KeyValueLog}, with these keys
 * (values are JSON):
 *
 * <pre>
 *   connector-NAME     {"properties": {...}}               null deletes the connector
 *   target-state-NAME  {"state": "STARTED|PAUSED|STOPPED"}
 *   tasks-NAME         {"tasks": [{...}, {...}]}           all task configs in one record
 *   restart-NAME       {"task": -1, "include_tasks": b, "only_failed": b}
 *   create-NAME        {"id": "...", "made_ms": t, "expires_ms": t'}   a claim of the name
 * </pre>
 *
 * Task configs travel in one record so that a reader never sees half of a new set. Thread-safe;
 * listeners run on the log's reader thread.
 *
 * <p><b>Creating a connector is a compare-and-set through the log.</b> The log is one partition,
 * so every worker reads the same records in the same order. A creator first appends a claim of
 * the name ({@link #claimName}); a claim wins when no connector has the name and no earlier live
 * claim holds it, which every reader decides alike from the log alone. Only the winner then
 * writes the connector's config (whose record releases the claim); of concurrent creates on any
 * workers exactly one wins. A claim whose winner never wrote the config (it crashed) stops
 * holding the name at its {@code expires_ms}; the winner writes nothing once that has passed.
 * Claims never carry the config itself, so whichever claim compaction keeps, replaying the log
 * rebuilds the same configs.
 */
public final class ConfigStore implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final String CLAIM = "create-";

  /** A claim of a connector name: who made it, and when it stops holding the name. */
  private record Claim(String id, long madeMs, long expiresMs) {}

  /** Hears about config changes and restart requests. */
  public interface Listener {
    void onConfigChange(ClusterConfigState state);

    void onRestartRequest(RestartRequest request);
  }

  private final KeyValueLog log;
  private final Listener listener;
  private final Map<String, Map<String, String>> connectors = new HashMap<>();
  private final Map<String, TargetState> targets = new HashMap<>();
  private final Map<String, List<Map<String, String>>> tasks = new HashMap<>();
  /** Names claimed and not yet created, by the winning claim (reader thread). */
  private final Map<String, Claim> claimed = new HashMap<>();
  /** This process's claims waiting to be read back, by claim id. */
  private final Map<String, CompletableFuture<Boolean>> pendingClaims = new ConcurrentHashMap<>();
  private volatile ClusterConfigState snapshot = ClusterConfigState.EMPTY;
  private volatile boolean replayed;
  private long version;

  public ConfigStore(KeyValueLog log, Listener listener) {
    this.log = log;
    this.listener = listener;
  }

  /** Replays the log; restart requests found in it are history and are not delivered. */
  public CompletableFuture<Void> start() {
    return log.start(this::apply).thenRun(() -> replayed = true);
  }

  public ClusterConfigState snapshot() {
    return snapshot;
  }

  public CompletableFuture<Void> readToEnd() {
    return log.readToEnd();
  }

  public CompletableFuture<Void> putConnectorConfig(String name, Map<String, String> props) {
    return write("connector-" + name, Map.of("properties", props));
  }

  public CompletableFuture<Void> putTargetState(String name, TargetState state) {
    return write("target-state-" + name, Map.of("state", state.name()));
  }

  public CompletableFuture<Void> putTaskConfigs(String name, List<Map<String, String>> configs) {
    return write("tasks-" + name, Map.of("tasks", configs));
  }

  /**
   * Claims {@code name} for a connector about to be created. The future completes once the
   * claim is read back: true when it won (the caller may now write the config, until {@code
   * expiresMs} on this machine's clock), false when a connector has the name or another claim
   * holds it.
   */
  public CompletableFuture<Boolean> claimName(String name, long expiresMs) {
    String id = UUID.randomUUID().toString();
    CompletableFuture<Boolean> won = new CompletableFuture<>();
    pendingClaims.put(id, won);
    write(CLAIM + name, Map.of("id", id, "made_ms", System.currentTimeMillis(),
        "expires_ms", expiresMs)).whenComplete((v, e) -> {
          if (e != null) {
            won.completeExceptionally(e);
          }
        });
    long ttlMs = Math.max(1, expiresMs - System.currentTimeMillis());
    return won.orTimeout(ttlMs, TimeUnit.MILLISECONDS)
        .whenComplete((v, e) -> pendingClaims.remove(id));
  }

  /** Deletes the connector, then its target state, task configs and claim. */
  public CompletableFuture<Void> removeConnector(String name) {
    return write("connector-" + name, null)
        .thenCompose(v -> write("target-state-" + name, null))
        .thenCompose(v -> write("tasks-" + name, null))
        .thenCompose(v -> write(CLAIM + name, null));
  }

  public CompletableFuture<Void> requestRestart(RestartRequest r) {
    return write("restart-" + r.connector(), Map.of("task", r.task(),
        "include_tasks", r.includeTasks(), "only_failed", r.onlyFailed()));
  }

  private CompletableFuture<Void> write(String key, Object value) {
    try {
      byte[] v = value == null ? null : JSON.writeValueAsBytes(value);
      return log.send(key.getBytes(StandardCharsets.UTF_8), v);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private synchronized void apply(byte[] keyBytes, byte[] valueBytes) {
    String key = new String(keyBytes, StandardCharsets.UTF_8);
    Map<String, Object> value;
    try {
      value = valueBytes == null ? null : JSON.readValue(valueBytes, MAP);
    } catch (IOException e) {
      throw new IllegalArgumentException("config record " + key + " is not JSON", e);
    }
    if (key.startsWith(CLAIM)) {
      applyClaim(key.substring(CLAIM.length()), value);
      return;
    }
    if (key.startsWith("connector-")) {
      String name = key.substring("connector-".length());
      claimed.remove(name);
      if (value == null) {
        connectors.remove(name);
        targets.remove(name);
        tasks.remove(name);
      } else {
        connectors.put(name, strings((Map<String, Object>) value.get("properties")));
      }
    } else if (key.startsWith("target-state-")) {
      String name = key.substring("target-state-".length());
      if (value == null) {
        targets.remove(name);
      } else {
        targets.put(name, TargetState.valueOf((String) value.get("state")));
      }
    } else if (key.startsWith("tasks-")) {
      String name = key.substring("tasks-".length());
      if (value == null) {
        tasks.remove(name);
      } else {
        tasks.put(name, ((List<Map<String, Object>>) value.get("tasks")).stream()
            .map(ConfigStore::strings).toList());
      }
    } else if (key.startsWith("restart-")) {
      if (replayed && value != null) {
        listener.onRestartRequest(new RestartRequest(key.substring("restart-".length()),
            ((Number) value.get("task")).intValue(), (Boolean) value.get("include_tasks"),
            (Boolean) value.get("only_failed")));
      }
      return;
    } else {
      return; // a key a newer version wrote: ignore
    }
    snapshot = new ClusterConfigState(++version, connectors, targets, tasks);
    listener.onConfigChange(snapshot);
  }

  /** Decides a claim, as every reader of the log does, and tells its maker if it is here. */
  private void applyClaim(String name, Map<String, Object> value) {
    if (value == null) {
      claimed.remove(name);
      return;
    }
    Claim claim = new Claim((String) value.get("id"), ((Number) value.get("made_ms")).longValue(),
        ((Number) value.get("expires_ms")).longValue());
    Claim holder = claimed.get(name);
    boolean won = !connectors.containsKey(name)
        && (holder == null || holder.expiresMs() <= claim.madeMs());
    if (won) {
      claimed.put(name, claim);
    }
    CompletableFuture<Boolean> mine = pendingClaims.get(claim.id());
    if (mine != null) {
      mine.complete(won);
    }
  }

  private static Map<String, String> strings(Map<String, Object> in) {
    Map<String, String> out = new LinkedHashMap<>();
    in.forEach((k, v) -> out.put(k, v == null ? null : String.valueOf(v)));
    return out;
  }

  @Override
  public void close() {
    log.close();
  }
}
