package io.millrace.connect.herder;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.connect.testing.Await;
import io.millrace.connect.testing.Kafka;
import io.millrace.connect.testing.Rest;
import io.millrace.connect.testing.TestBroker;
import io.millrace.connect.testing.WorkerProps;
import io.millrace.connect.testing.WorkerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two workers in their own JVMs form a group: they share connectors and tasks, and when the
 * one running the source task is killed (SIGKILL) in the middle of a copy, its work moves to
 * the survivor and resumes from the committed offsets: every record arrives (at least once).
 */
class DistributedWorkersIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int LINES = 3000;
  private static TestBroker broker;
  @TempDir Path dir;

  @BeforeAll
  static void startBroker() {
    broker = TestBroker.start();
    Kafka.requireGroups(broker.bootstrapServers());
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  private Map<String, String> props(String id) {
    Map<String, String> p = WorkerProps.distributed(broker.bootstrapServers(), id);
    p.put("offset.storage.partitions", "3");
    p.put("offset.flush.interval.ms", "300");
    p.put("consumer.session.timeout.ms", "6000");
    p.put("consumer.heartbeat.interval.ms", "1000");
    p.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
    return p;
  }

  @Test
  void aKilledWorkersTasksResumeOnTheSurvivorWithoutLosingRecords() throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    String topic = "copy-" + id;
    Path input = dir.resolve("in.txt");
    Path output = dir.resolve("out.txt");
    Files.writeString(input, "");
    Kafka.createTopic(broker.bootstrapServers(), topic, 2);
    Path logs = Files.createDirectories(Path.of("target", "worker-logs"));
    try (WorkerProcess a = WorkerProcess.start(props(id), logs.resolve(id + "-a.log"));
         WorkerProcess b = WorkerProcess.start(props(id), logs.resolve(id + "-b.log"))) {
      Rest restA = new Rest("http://127.0.0.1:" + a.port());
      Rest restB = new Rest("http://127.0.0.1:" + b.port());
      assertThat(restA.post("/connectors", Map.of("name", "copy-in", "config", Map.of(
          "connector.class", "FileStreamSource", "file", input.toString(), "topic", topic,
          "batch.size", "50")))).extracting(Rest.Response::status).isEqualTo(201);
      assertThat(restB.post("/connectors", Map.of("name", "copy-out", "config", Map.of(
          "connector.class", "FileStreamSink", "file", output.toString(), "topics", topic))))
          .extracting(Rest.Response::status).isEqualTo(201);
      Await.until(WAIT, "both connectors RUNNING on two workers", () -> {
        Set<String> workers = new HashSet<>();
        for (String c : List.of("copy-in", "copy-out")) {
          JsonNode s = restA.get("/connectors/" + c + "/status").body();
          JsonNode t = s.path("tasks").path(0);
          if (!t.path("state").asText().equals("RUNNING")) {
            return false;
          }
          workers.add(t.path("worker_id").asText());
        }
        return workers.size() == 2;
      });
      assertThat(restB.get("/connectors").body().size()).isEqualTo(2);

      String sourceWorker = restA.get("/connectors/copy-in/status").body().path("tasks")
          .path(0).path("worker_id").asText();
      int victimPort = Integer.parseInt(sourceWorker.substring(sourceWorker.lastIndexOf(':') + 1));
      WorkerProcess victim = victimPort == a.port() ? a : b;
      Rest survivor = victim == a ? restB : restA;

      appendLines(input, 0, LINES / 2);
      Await.until(WAIT, "copy under way", () ->
          Kafka.consume(broker.bootstrapServers(), topic, 200, Duration.ofSeconds(1)).size()
              >= 200);
      victim.kill();
      appendLines(input, LINES / 2, LINES);

      String survivorId = "127.0.0.1:" + (victim == a ? b.port() : a.port());
      Await.until(WAIT, "source task moved to the survivor", () -> {
        JsonNode t = survivor.get("/connectors/copy-in/status").body().path("tasks").path(0);
        return t.path("state").asText().equals("RUNNING")
            && t.path("worker_id").asText().equals(survivorId);
      });
      Await.until(WAIT, "every line in the topic", () -> distinct(Kafka.values(Kafka.consume(
          broker.bootstrapServers(), topic, 3 * LINES, Duration.ofSeconds(3)))).size() == LINES);
      Await.until(WAIT, "every line in the output file", () ->
          distinct(lines(output)).size()
              == LINES);
    }
  }

  private static List<String> lines(Path p) {
    try {
      return Files.exists(p) ? Files.readAllLines(p) : List.of();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Set<String> distinct(List<String> values) {
    return new HashSet<>(values);
  }

  private static void appendLines(Path file, int from, int to) throws Exception {
    for (int start = from; start < to; start += 100) {
      StringBuilder sb = new StringBuilder();
      for (int i = start; i < Math.min(to, start + 100); i++) {
        sb.append("line-").append(i).append('\n');
      }
      Files.writeString(file, sb, StandardOpenOption.APPEND);
    }
  }
}
