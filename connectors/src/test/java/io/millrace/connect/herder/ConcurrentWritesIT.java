package io.millrace.connect.herder;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millrace.connect.ConnectWorker;
import io.millrace.connect.testing.Await;
import io.millrace.connect.testing.Kafka;
import io.millrace.connect.testing.Rest;
import io.millrace.connect.testing.Rest.Response;
import io.millrace.connect.testing.TestBroker;
import io.millrace.connect.testing.WorkerProps;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two workers of one group, in this JVM, receive writes for the same connector name at the same
 * moment. Creates are a compare-and-set through the config log, so exactly one create wins
 * (201) and the other is told the connector exists (409); both workers then show the winner's
 * config and initial state. Concurrent PUTs create once (201) and update once (200).
 */
class ConcurrentWritesIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int ROUNDS = 5;
  private static TestBroker broker;
  @TempDir Path dir;
  private final List<ConnectWorker> workers = new ArrayList<>();
  private final ExecutorService clients = Executors.newFixedThreadPool(2);
  private Rest restA;
  private Rest restB;

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

  @BeforeEach
  void startWorkers() {
    String id = UUID.randomUUID().toString().substring(0, 8);
    workers.add(ConnectWorker.start(props(id), new SimpleMeterRegistry()));
    workers.add(ConnectWorker.start(props(id), new SimpleMeterRegistry()));
    restA = new Rest(workers.get(0).restUrl());
    restB = new Rest(workers.get(1).restUrl());
  }

  @AfterEach
  void stopWorkers() {
    clients.shutdownNow();
    workers.forEach(ConnectWorker::close);
  }

  private Map<String, String> props(String id) {
    return WorkerProps.distributed(broker.bootstrapServers(), id);
  }

  private Map<String, Object> config(String topic) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("connector.class", "FileStreamSource");
    c.put("file", dir.resolve("in.txt").toString());
    c.put("topic", topic);
    return c;
  }

  @Test
  void concurrentCreatesOfOneNameGiveOne201AndOne409() throws Exception {
    Map<String, String> winnerState = new HashMap<>();
    for (int round = 0; round < ROUNDS; round++) {
      String name = "race-" + round;
      List<Response> answers = atOnce(
          rest -> rest.post("/connectors", Map.of("name", name, "config", config("t-a"),
              "initial_state", "PAUSED")),
          rest -> rest.post("/connectors", Map.of("name", name, "config", config("t-b"),
              "initial_state", "STOPPED")));
      assertThat(answers).extracting(Response::status).containsExactlyInAnyOrder(201, 409);
      Response lost = answers.get(0).status() == 409 ? answers.get(0) : answers.get(1);
      assertThat(lost.body().path("error_code").asInt()).isEqualTo(409);
      assertThat(lost.message()).isEqualTo("Connector " + name + " already exists");
      boolean aWon = answers.get(0).status() == 201;
      String topic = aWon ? "t-a" : "t-b";
      winnerState.put(name, aWon ? "PAUSED" : "STOPPED");
      for (Rest rest : List.of(restA, restB)) {
        Await.until(WAIT, name + " shows the winner's config on every worker", () ->
            rest.get("/connectors/" + name + "/config").body().path("topic").asText()
                .equals(topic));
      }
    }
    for (Map.Entry<String, String> e : winnerState.entrySet()) {
      Await.until(WAIT, e.getKey() + " in the winner's initial state " + e.getValue(), () ->
          restB.get("/connectors/" + e.getKey() + "/status").body().path("connector")
              .path("state").asText().equals(e.getValue()));
    }
    assertThat(restA.get("/connectors").body()).hasSize(ROUNDS);
  }

  @Test
  void concurrentPutsOfANewNameCreateOnceAndUpdateOnce() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      String name = "put-" + round;
      List<Response> answers = atOnce(
          rest -> rest.put("/connectors/" + name + "/config", config("t-a")),
          rest -> rest.put("/connectors/" + name + "/config", config("t-b")));
      assertThat(answers).extracting(Response::status).containsExactlyInAnyOrder(201, 200);
    }
    assertThat(restB.get("/connectors").body()).hasSize(ROUNDS);
  }

  /** Sends the first request to worker A and the second to worker B at the same moment. */
  private List<Response> atOnce(Function<Rest, Response> toA, Function<Rest, Response> toB)
      throws Exception {
    CountDownLatch ready = new CountDownLatch(2);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Response>> sent = new ArrayList<>();
    for (Map.Entry<Rest, Function<Rest, Response>> e : List.of(Map.entry(restA, toA),
        Map.entry(restB, toB))) {
      sent.add(clients.submit(() -> {
        ready.countDown();
        go.await();
        return e.getValue().apply(e.getKey());
      }));
    }
    ready.await();
    go.countDown();
    List<Response> out = new ArrayList<>();
    for (Future<Response> f : sent) {
      out.add(f.get());
    }
    return out;
  }

  @Test
  void aConfigTopicWithMorePartitionsIsRefused() {
    String id = UUID.randomUUID().toString().substring(0, 8);
    Kafka.createTopic(broker.bootstrapServers(), "cfg-" + id, 2);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConnectWorker.start(props(id),
            new SimpleMeterRegistry()))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("cfg-" + id)
        .hasMessageContaining("config.storage.topic")
        .hasMessageContaining("single partition");
  }
}
