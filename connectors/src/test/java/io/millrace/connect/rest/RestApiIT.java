package io.millrace.connect.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.connect.ConnectWorker;
import io.millrace.connect.testing.Await;
import io.millrace.connect.testing.Rest;
import io.millrace.connect.testing.Rest.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API of a standalone worker over real HTTP on loopback. No broker is needed for
 * what is tested here (configs and statuses live in files in standalone mode; the tasks'
 * clients point at a closed port and simply find nothing).
 */
class RestApiIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  @TempDir Path dir;
  private ConnectWorker worker;
  private Rest rest;

  @BeforeEach
  void start() {
    worker = startWorker();
    rest = new Rest("http://127.0.0.1:" + worker.restPort());
  }

  private ConnectWorker startWorker() {
    return ConnectWorker.start(Map.of("mode", "standalone", "bootstrap.servers", "127.0.0.1:1",
        "rest.host.name", "127.0.0.1", "rest.port", "0",
        "standalone.storage.dir", dir.resolve("state").toString(),
        "task.shutdown.graceful.timeout.ms", "2000"));
  }

  @AfterEach
  void stop() {
    if (worker != null) {
      worker.close();
    }
  }

  private Map<String, Object> fileSource(String name) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("connector.class", "FileStreamSource");
    config.put("file", dir.resolve(name + ".txt").toString());
    config.put("topic", "t-" + name);
    return Map.of("name", name, "config", config);
  }

  @Test
  void rootAndPluginsDescribeTheWorker() {
    Response root = rest.get("/");
    assertThat(root.status()).isEqualTo(200);
    assertThat(root.body().has("version")).isTrue();
    Response plugins = rest.get("/connector-plugins");
    assertThat(plugins.status()).isEqualTo(200);
    assertThat(plugins.body().findValuesAsText("class")).contains(
        "io.millrace.connect.file.FileStreamSourceConnector",
        "io.millrace.connect.jdbc.JdbcSinkConnector",
        "io.millrace.connect.cdc.PostgresCdcSourceConnector");
    Response all = rest.get("/connector-plugins?connectorsOnly=false");
    assertThat(all.body().findValuesAsText("type")).contains("transformation", "predicate",
        "converter");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castConfig(Map<String, Object> body) {
    return (Map<String, Object>) body.get("config");
  }

  @Test
  void lifecycleThroughTheApi() {
    Response created = rest.post("/connectors", fileSource("src"));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().get("name").asText()).isEqualTo("src");
    assertThat(created.body().get("type").asText()).isEqualTo("source");
    assertThat(rest.post("/connectors", fileSource("src")).status()).isEqualTo(409);

    Await.until(WAIT, "connector and task RUNNING", () -> {
      JsonNode s = rest.get("/connectors/src/status").body();
      return s.path("connector").path("state").asText().equals("RUNNING")
          && s.path("tasks").size() == 1
          && s.path("tasks").get(0).path("state").asText().equals("RUNNING");
    });
    assertThat(rest.get("/connectors/src/tasks").body().get(0).path("config").path("topic")
        .asText()).isEqualTo("t-src");
    assertThat(rest.get("/connectors/src/tasks/0/status").body().path("state").asText())
        .isEqualTo("RUNNING");
    assertThat(rest.get("/connectors/src/tasks/7/status").status()).isEqualTo(404);

    Map<String, Object> update = new LinkedHashMap<>(castConfig(fileSource("src")));
    update.put("topic", "t-src-2");
    Response updated = rest.put("/connectors/src/config", update);
    assertThat(updated.status()).isEqualTo(200);
    assertThat(rest.get("/connectors/src/config").body().path("topic").asText())
        .isEqualTo("t-src-2");
    Await.until(WAIT, "task config updated", () -> rest.get("/connectors/src/tasks").body()
        .get(0).path("config").path("topic").asText().equals("t-src-2"));

    assertThat(rest.put("/connectors/src/pause", null).status()).isEqualTo(202);
    Await.until(WAIT, "PAUSED", () -> state("src").equals("PAUSED")
        && taskState("src").equals("PAUSED"));
    assertThat(rest.put("/connectors/src/resume", null).status()).isEqualTo(202);
    Await.until(WAIT, "RUNNING again", () -> state("src").equals("RUNNING")
        && taskState("src").equals("RUNNING"));

    assertThat(rest.post("/connectors/src/restart?includeTasks=true", null).status())
        .isEqualTo(202);
    assertThat(rest.post("/connectors/src/tasks/0/restart", null).status()).isEqualTo(204);
    Await.until(WAIT, "RUNNING after restarts", () -> taskState("src").equals("RUNNING")
        && state("src").equals("RUNNING"));

    Response expanded = rest.get("/connectors?expand=status&expand=info");
    assertThat(expanded.body().path("src").path("info").path("config").path("topic").asText())
        .isEqualTo("t-src-2");
    assertThat(expanded.body().path("src").path("status").path("connector").path("state")
        .asText()).isEqualTo("RUNNING");

    assertThat(rest.delete("/connectors/src").status()).isEqualTo(204);
    Response gone = rest.get("/connectors/src");
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.message()).isEqualTo("Connector src not found");
    assertThat(rest.delete("/connectors/src").status()).isEqualTo(404);
  }

  @Test
  void aStoppedConnectorsOffsetsCanBeReadAlteredAndReset() {
    assertThat(rest.post("/connectors", fileSource("src")).status()).isEqualTo(201);
    Await.until(WAIT, "RUNNING", () -> state("src").equals("RUNNING"));
    assertThat(rest.patch("/connectors/src/offsets", Map.of("offsets", java.util.List.of()))
        .status()).as("refused while running").isEqualTo(400);
    assertThat(rest.put("/connectors/src/stop", null).status()).isEqualTo(202);
    Await.until(WAIT, "STOPPED with no tasks", () -> state("src").equals("STOPPED")
        && rest.get("/connectors/src/tasks").body().isEmpty());
    String file = dir.resolve("src.txt").toString();
    Response altered = rest.patch("/connectors/src/offsets", Map.of("offsets", java.util.List.of(
        Map.of("partition", Map.of("filename", file), "offset", Map.of("position", 42)))));
    assertThat(altered.status()).isEqualTo(200);
    JsonNode offsets = rest.get("/connectors/src/offsets").body().path("offsets");
    assertThat(offsets.get(0).path("offset").path("position").asLong()).isEqualTo(42);
    assertThat(rest.patch("/connectors/src/offsets", Map.of("offsets", java.util.List.of(
        Map.of("partition", Map.of("filename", file), "offset", Map.of("position", -1)))))
        .status()).isEqualTo(400);
    assertThat(rest.delete("/connectors/src/offsets").status()).isEqualTo(200);
    assertThat(rest.get("/connectors/src/offsets").body().path("offsets")).isEmpty();
  }

  @Test
  void putConfigCreatesWhenMissing() {
    Map<String, Object> cfg = castConfig(fileSource("made"));
    Response r = rest.put("/connectors/made/config", cfg);
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.body().path("name").asText()).isEqualTo("made");
    Map<String, Object> renamed = new LinkedHashMap<>(cfg);
    renamed.put("name", "other");
    assertThat(rest.put("/connectors/made/config", renamed).message())
        .contains("doesn't match");
  }

  @Test
  void validateReportsEveryKeyAndItsErrors() {
    Response r = rest.put("/connector-plugins/FileStreamSource/config/validate",
        Map.of("connector.class", "FileStreamSource", "name", "v", "tasks.max", "-1"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().path("error_count").asInt()).isEqualTo(3); // tasks.max, file, topic
    assertThat(r.body().path("name").asText())
        .isEqualTo("io.millrace.connect.file.FileStreamSourceConnector");
    JsonNode configs = r.body().path("configs");
    boolean sawFile = false;
    for (JsonNode c : configs) {
      if (c.path("definition").path("name").asText().equals("file")) {
        sawFile = true;
        assertThat(c.path("definition").path("required").asBoolean()).isTrue();
        assertThat(c.path("value").path("errors").get(0).asText()).contains("Missing required");
      }
    }
    assertThat(sawFile).isTrue();
  }

  @Test
  void unknownPathsAndConnectorsAre404Json() {
    Response r = rest.get("/nope");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body().path("error_code").asInt()).isEqualTo(404);
    assertThat(rest.get("/connectors/ghost/status").status()).isEqualTo(404);
    assertThat(rest.put("/connectors/ghost/pause", null).status()).isEqualTo(404);
    assertThat(rest.post("/connectors/ghost/restart", null).status()).isEqualTo(404);
    assertThat(rest.get("/connectors/ghost/tasks/x/status").status()).isEqualTo(400);
  }

  @Test
  void standaloneConfigsSurviveARestart() {
    assertThat(rest.post("/connectors", fileSource("keep")).status()).isEqualTo(201);
    worker.close();
    worker = startWorker();
    rest = new Rest("http://127.0.0.1:" + worker.restPort());
    assertThat(rest.get("/connectors").body().get(0).asText()).isEqualTo("keep");
    Await.until(WAIT, "RUNNING after restart", () -> state("keep").equals("RUNNING"));
  }

  private String state(String name) {
    return rest.get("/connectors/" + name + "/status").body().path("connector").path("state")
        .asText();
  }

  private String taskState(String name) {
    JsonNode tasks = rest.get("/connectors/" + name + "/status").body().path("tasks");
    return tasks.isEmpty() ? "" : tasks.get(0).path("state").asText();
  }
}
