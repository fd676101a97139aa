package io.millrace.connect.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.connect.ConnectWorker;
import io.millrace.connect.testing.Await;
import io.millrace.connect.testing.Kafka;
import io.millrace.connect.testing.Rest;
import io.millrace.connect.testing.TestBroker;
import io.millrace.connect.testing.WorkerProps;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP source and sink against a real HTTP server the test starts (Vert.x on loopback), and
 * the runtime's error handling: retries, dead-letter topic, a failed task visible in /status.
 */
class HttpConnectorsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static TestBroker broker;
  private static Vertx vertx;
  @TempDir Path dir;
  private ConnectWorker worker;
  private Rest rest;
  private HttpServer server;

  @BeforeAll
  static void startBroker() {
    broker = TestBroker.start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopBroker() {
    vertx.close().await();
    if (broker != null) {
      broker.close();
    }
  }

  @BeforeEach
  void startWorker() {
    worker = ConnectWorker.start(WorkerProps.standalone(broker.bootstrapServers(),
        dir.resolve("state")));
    rest = new Rest("http://127.0.0.1:" + worker.restPort());
  }

  @AfterEach
  void stop() {
    worker.close();
    if (server != null) {
      server.close().await();
    }
  }

  @Test
  void sourcePagesThroughAnApiByAnOffsetField() {
    AtomicInteger unauthorized = new AtomicInteger();
    server = vertx.createHttpServer().requestHandler(req -> {
      if (!"Bearer s3cret".equals(req.getHeader("Authorization"))
          || !"yes".equals(req.getHeader("X-Test"))) {
        unauthorized.incrementAndGet();
        req.response().setStatusCode(401).end();
        return;
      }
      long since = Long.parseLong(req.getParam("since", "0"));
      List<String> items = new ArrayList<>();
      for (long id = since + 1; id <= Math.min(since + 3, 10); id++) {
        items.add("{\"id\":" + id + ",\"name\":\"item-" + id + "\"}");
      }
      req.response().putHeader("Content-Type", "application/json")
          .end("{\"items\":[" + String.join(",", items) + "]}");
    }).listen(0, "127.0.0.1").await();
    String topic = "http-src-" + UUID.randomUUID();
    Kafka.createTopic(broker.bootstrapServers(), topic, 1); // one partition: order is checked
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("connector.class", "HttpSource");
    cfg.put("http.url", "http://127.0.0.1:" + server.actualPort() + "/items?since=${offset}");
    cfg.put("http.headers", "X-Test: yes");
    cfg.put("http.auth.type", "bearer");
    cfg.put("http.auth.token", "s3cret");
    cfg.put("http.response.records.pointer", "/items");
    cfg.put("http.record.key.pointer", "/id");
    cfg.put("http.offset.mode", "field");
    cfg.put("http.offset.pointer", "/id");
    cfg.put("http.offset.initial", "0");
    cfg.put("poll.interval.ms", "200");
    cfg.put("topic", topic);
    cfg.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    cfg.put("value.converter.schemas.enable", "false");
    assertThat(rest.post("/connectors", Map.of("name", "api", "config", cfg)).status())
        .isEqualTo(201);
    Await.until(WAIT, "10 records", () ->
        Kafka.consume(broker.bootstrapServers(), topic, 10, Duration.ofSeconds(2)).size() >= 10);
    List<String> names = new ArrayList<>();
    for (String v : Kafka.values(Kafka.consume(broker.bootstrapServers(), topic, 10,
        Duration.ofSeconds(3)))) {
      names.add(read(v).path("name").asText());
    }
    assertThat(names).hasSize(10).first().isEqualTo("item-1");
    assertThat(names).last().isEqualTo("item-10");
    assertThat(unauthorized.get()).isZero();
  }

  @Test
  void sinkRetriesServerErrorsAndDeadLettersWhatFailsForGood() {
    Kafka.requireGroups(broker.bootstrapServers());
    AtomicInteger requests = new AtomicInteger();
    List<String> received = new CopyOnWriteArrayList<>();
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      int n = requests.incrementAndGet();
      String text = body.toString(StandardCharsets.UTF_8);
      if (n <= 2) {
        req.response().setStatusCode(503).end("busy");
      } else if (text.contains("poison")) {
        req.response().setStatusCode(400).end("bad record");
      } else if (!"application/json".equals(req.getHeader("Content-Type"))) {
        req.response().setStatusCode(415).end();
      } else {
        read(text).forEach(v -> received.add(v.path("n").asText()));
        req.response().setStatusCode(200).end();
      }
    })).listen(0, "127.0.0.1").await();
    String topic = "http-sink-" + UUID.randomUUID();
    String dlq = topic + "-dlq";
    Kafka.createTopic(broker.bootstrapServers(), topic, 1);
    List<String[]> records = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      records.add(new String[] {null, i == 13 ? "{\"n\":\"poison\"}" : "{\"n\":\"" + i + "\"}"});
    }
    Kafka.produce(broker.bootstrapServers(), topic, records);
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("connector.class", "HttpSink");
    cfg.put("http.url", "http://127.0.0.1:" + server.actualPort() + "/ingest");
    cfg.put("topics", topic);
    cfg.put("batch.max.size", "5");
    cfg.put("retry.backoff.ms", "50");
    cfg.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    cfg.put("value.converter.schemas.enable", "false");
    cfg.put("errors.tolerance", "all");
    cfg.put("errors.deadletterqueue.topic.name", dlq);
    cfg.put("errors.deadletterqueue.context.headers.enable", "true");
    assertThat(rest.post("/connectors", Map.of("name", "post", "config", cfg)).status())
        .isEqualTo(201);
    Await.until(WAIT, "poison dead-lettered, the rest delivered", () -> {
      Set<String> all = new TreeSet<>(received);
      for (ConsumerRecord<byte[], byte[]> r : Kafka.consume(broker.bootstrapServers(), dlq, 1,
          Duration.ofSeconds(1))) {
        all.add(read(new String(r.value(), StandardCharsets.UTF_8)).path("n").asText());
      }
      return all.size() == 25 && all.contains("poison");
    });
    List<ConsumerRecord<byte[], byte[]>> dead =
        Kafka.consume(broker.bootstrapServers(), dlq, 1, Duration.ofSeconds(3));
    assertThat(Kafka.values(dead)).anyMatch(v -> v.contains("poison"));
    ConsumerRecord<byte[], byte[]> first = dead.get(0);
    assertThat(new String(first.headers().lastHeader("__connect.errors.topic").value(),
        StandardCharsets.UTF_8)).isEqualTo(topic);
    assertThat(new String(first.headers().lastHeader("__connect.errors.exception.message")
        .value(), StandardCharsets.UTF_8)).contains("400");
    assertThat(received).doesNotContain("poison");
    assertThat(requests.get()).isGreaterThan(2);
  }

  @Test
  void poisonRecordFailsTheTaskWithItsErrorInStatusWhenNotTolerated() {
    Kafka.requireGroups(broker.bootstrapServers());
    server = vertx.createHttpServer().requestHandler(req -> req.response().end())
        .listen(0, "127.0.0.1").await();
    String topic = "http-poison-" + UUID.randomUUID();
    Kafka.createTopic(broker.bootstrapServers(), topic, 1);
    Kafka.produce(broker.bootstrapServers(), topic, List.<String[]>of(
        new String[] {null, "{\"ok\":1}"}, new String[] {null, "not json {"}));
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("connector.class", "HttpSink");
    cfg.put("http.url", "http://127.0.0.1:" + server.actualPort() + "/ingest");
    cfg.put("topics", topic);
    cfg.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    assertThat(rest.post("/connectors", Map.of("name", "strict", "config", cfg)).status())
        .isEqualTo(201);
    JsonNode task = Await.value(WAIT, "task FAILED", () -> {
      JsonNode s = rest.get("/connectors/strict/status").body();
      JsonNode t = s.path("tasks").path(0);
      return t.path("state").asText().equals("FAILED") ? t : null;
    });
    assertThat(task.path("trace").asText()).contains("Tolerance exceeded")
        .contains("VALUE_CONVERTER");
    assertThat(rest.get("/connectors/strict/status").body().path("connector").path("state")
        .asText()).isEqualTo("RUNNING");
  }

  @Test
  void sourceFollowsACursorInTheResponse() {
    server = vertx.createHttpServer().requestHandler(req -> {
      String cursor = req.getParam("cursor", "");
      String body = switch (cursor) {
        case "" -> "{\"data\":[{\"v\":1},{\"v\":2}],\"next\":\"c2\"}";
        case "c2" -> "{\"data\":[{\"v\":3}],\"next\":\"c3\"}";
        default -> "{\"data\":[],\"next\":null}";
      };
      req.response().putHeader("Content-Type", "application/json").end(body);
    }).listen(0, "127.0.0.1").await();
    String topic = "http-cursor-" + UUID.randomUUID();
    Kafka.createTopic(broker.bootstrapServers(), topic, 1);
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("connector.class", "HttpSource");
    cfg.put("http.url", "http://127.0.0.1:" + server.actualPort() + "/feed?cursor=${offset}");
    cfg.put("http.response.records.pointer", "/data");
    cfg.put("http.offset.mode", "cursor");
    cfg.put("http.offset.pointer", "/next");
    cfg.put("poll.interval.ms", "100");
    cfg.put("topic", topic);
    cfg.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    cfg.put("value.converter.schemas.enable", "false");
    assertThat(rest.post("/connectors", Map.of("name", "feed", "config", cfg)).status())
        .isEqualTo(201);
    Await.until(WAIT, "3 records", () ->
        Kafka.consume(broker.bootstrapServers(), topic, 3, Duration.ofSeconds(2)).size() >= 3);
    assertThat(Kafka.values(Kafka.consume(broker.bootstrapServers(), topic, 3,
        Duration.ofSeconds(2)))).containsExactly("{\"v\":1}", "{\"v\":2}", "{\"v\":3}");
  }

  @Test
  void recordsThatCannotBeConvertedGoToTheDeadLetterTopicWhenTolerated() {
    List<String> received = new CopyOnWriteArrayList<>();
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      read(b.toString(StandardCharsets.UTF_8)).forEach(v -> received.add(v.toString()));
      req.response().end();
    })).listen(0, "127.0.0.1").await();
    String topic = "http-tolerant-" + UUID.randomUUID();
    Kafka.createTopic(broker.bootstrapServers(), topic, 1);
    Kafka.produce(broker.bootstrapServers(), topic, List.<String[]>of(
        new String[] {"k1", "{\"ok\":1}"}, new String[] {"k2", "not json {"},
        new String[] {"k3", "{\"ok\":3}"}));
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("connector.class", "HttpSink");
    cfg.put("http.url", "http://127.0.0.1:" + server.actualPort() + "/ingest");
    cfg.put("topics", topic);
    cfg.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    cfg.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    cfg.put("value.converter.schemas.enable", "false");
    cfg.put("errors.tolerance", "all");
    cfg.put("errors.log.enable", "true");
    cfg.put("errors.deadletterqueue.topic.name", topic + "-dlq");
    cfg.put("errors.deadletterqueue.context.headers.enable", "true");
    assertThat(rest.post("/connectors", Map.of("name", "tolerant", "config", cfg)).status())
        .isEqualTo(201);
    Await.until(WAIT, "good records posted", () -> received.size() >= 2);
    List<ConsumerRecord<byte[], byte[]>> dead = Await.value(WAIT, "the bad one dead-lettered",
        () -> {
          var d = Kafka.consume(broker.bootstrapServers(), topic + "-dlq", 1,
              Duration.ofSeconds(1));
          return d.isEmpty() ? null : d;
        });
    assertThat(received).containsExactly("{\"ok\":1}", "{\"ok\":3}");
    assertThat(dead).hasSize(1);
    assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("k2");
    assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("not json {");
    assertThat(new String(dead.get(0).headers().lastHeader("__connect.errors.stage").value(),
        StandardCharsets.UTF_8)).isEqualTo("VALUE_CONVERTER");
    assertThat(rest.get("/connectors/tolerant/status").body().path("tasks").path(0)
        .path("state").asText()).isEqualTo("RUNNING");
  }

  private static JsonNode read(String json) {
    try {
      return Rest.JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
