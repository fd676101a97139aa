package io.millrace.connect.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.connect.ConnectWorker;
import io.millrace.connect.testing.Await;
import io.millrace.connect.testing.Kafka;
import io.millrace.connect.testing.Rest;
import io.millrace.connect.testing.TestBroker;
import io.millrace.connect.testing.WorkerProps;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file connectors through a standalone worker and a real broker. */
class FileConnectorsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static TestBroker broker;
  @TempDir Path dir;

  @BeforeAll
  static void startBroker() {
    broker = TestBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  private ConnectWorker worker() {
    Map<String, String> p = WorkerProps.standalone(broker.bootstrapServers(),
        dir.resolve("state"));
    p.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
    return ConnectWorker.start(p, registry);
  }

  private final io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
      new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

  private static void append(Path file, int from, int to) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      sb.append("line-").append(i).append('\n');
    }
    Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  private static List<String> expected(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("line-" + i);
    }
    return out;
  }

  private static List<String> lines(Path p) {
    try {
      return Files.exists(p) ? Files.readAllLines(p) : List.of();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void sourceResumesAfterARestartWithNoGapAndNoDuplicate() throws Exception {
    String topic = "file-src-" + UUID.randomUUID();
    Path input = dir.resolve("in.txt");
    Kafka.createTopic(broker.bootstrapServers(), topic, 1); // one partition: order is checked
    append(input, 0, 500);
    try (ConnectWorker w = worker()) {
      Rest rest = new Rest("http://127.0.0.1:" + w.restPort());
      assertThat(rest.post("/connectors", Map.of("name", "tail", "config", Map.of(
          "connector.class", "FileStreamSource", "file", input.toString(), "topic", topic)))
          .status()).isEqualTo(201);
      Await.until(WAIT, "500 lines in the topic", () ->
          Kafka.consume(broker.bootstrapServers(), topic, 500, Duration.ofSeconds(2)).size()
              >= 500);
      Await.until(WAIT, "the task's meters count what it sent", () -> registry
          .get("millrace.connect.source.records").tag("connector", "tail").counter().count()
          >= 500);
      assertThat(registry.get("millrace.connect.tasks").gauge().value()).isEqualTo(1.0);
      append(input, 500, 700);
      Await.until(WAIT, "700 lines in the topic", () ->
          Kafka.consume(broker.bootstrapServers(), topic, 700, Duration.ofSeconds(2)).size()
              >= 700);
    }
    append(input, 700, 1000);
    try (ConnectWorker w = worker()) {
      Await.until(WAIT, "1000 lines in the topic", () ->
          Kafka.consume(broker.bootstrapServers(), topic, 1000, Duration.ofSeconds(2)).size()
              >= 1000);
    }
    List<String> values = Kafka.values(
        Kafka.consume(broker.bootstrapServers(), topic, 1000, Duration.ofSeconds(10)));
    assertThat(values).containsExactlyElementsOf(expected(1000));
  }

  @Test
  void sinkAppendsATopicToAFile() throws Exception {
    Kafka.requireGroups(broker.bootstrapServers());
    String topic = "file-sink-" + UUID.randomUUID();
    Kafka.createTopic(broker.bootstrapServers(), topic, 1);
    List<String[]> kv = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      kv.add(new String[] {null, "line-" + i});
    }
    Kafka.produce(broker.bootstrapServers(), topic, kv);
    Path out = dir.resolve("out.txt");
    try (ConnectWorker w = worker()) {
      Rest rest = new Rest("http://127.0.0.1:" + w.restPort());
      assertThat(rest.post("/connectors", Map.of("name", "dump", "config", Map.of(
          "connector.class", "FileStreamSink", "file", out.toString(), "topics", topic)))
          .status()).isEqualTo(201);
      Await.until(WAIT, "300 lines in the file", () ->
          lines(out).size() >= 300);
      assertThat(Files.readAllLines(out)).containsExactlyElementsOf(expected(300));

      // offsets of a sink: the consumer group's, read and altered while it is stopped
      assertThat(rest.put("/connectors/dump/stop", null).status()).isEqualTo(202);
      Await.until(WAIT, "STOPPED", () -> rest.get("/connectors/dump/status").body()
          .path("connector").path("state").asText().equals("STOPPED"));
      com.fasterxml.jackson.databind.JsonNode offsets = Await.value(WAIT, "committed offsets",
          () -> {
            var o = rest.get("/connectors/dump/offsets").body().path("offsets");
            return o.size() == 1 ? o : null;
          });
      assertThat(offsets.get(0).path("partition").path("kafka_topic").asText()).isEqualTo(topic);
      assertThat(offsets.get(0).path("offset").path("kafka_offset").asLong()).isEqualTo(300);
      Await.until(WAIT, "offsets altered once the group is empty", () -> rest.patch(
          "/connectors/dump/offsets", Map.of("offsets", List.of(Map.of(
              "partition", Map.of("kafka_topic", topic, "kafka_partition", 0),
              "offset", Map.of("kafka_offset", 250))))).status() == 200);
      assertThat(rest.get("/connectors/dump/offsets").body().path("offsets").get(0)
          .path("offset").path("kafka_offset").asLong()).isEqualTo(250);
      assertThat(rest.put("/connectors/dump/resume", null).status()).isEqualTo(202);
      Await.until(WAIT, "the last 50 lines again", () -> lines(out).size() >= 350);
      assertThat(lines(out).subList(300, 350)).containsExactlyElementsOf(
          expected(300).subList(250, 300));
      assertThat(rest.put("/connectors/dump/stop", null).status()).isEqualTo(202);
      Await.until(WAIT, "offsets reset", () ->
          rest.delete("/connectors/dump/offsets").status() == 200
              && rest.get("/connectors/dump/offsets").body().path("offsets").isEmpty());
    }
  }
}
