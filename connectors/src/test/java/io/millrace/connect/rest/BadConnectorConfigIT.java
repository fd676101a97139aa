package io.millrace.connect.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millrace.connect.ConnectWorker;
import io.millrace.connect.testing.Await;
import io.millrace.connect.testing.Kafka;
import io.millrace.connect.testing.Rest;
import io.millrace.connect.testing.Rest.Response;
import io.millrace.connect.testing.TestBroker;
import io.millrace.connect.testing.WorkerProps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed connector request a user can send gets 400 with a message naming the field
 * at fault, deploys nothing and changes nothing: a connector deployed first keeps its config
 * and tasks, stays RUNNING and keeps copying its file into its topic throughout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadConnectorConfigIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String GOOD = "good";
  private TestBroker broker;
  private ConnectWorker worker;
  private Rest rest;
  private Path input;
  private String topic;
  private JsonNode goodConfig;
  private JsonNode goodTasks;

  @BeforeAll
  void deployAGoodConnector(@TempDir Path dir) throws IOException {
    broker = TestBroker.start();
    Map<String, String> props = WorkerProps.standalone(broker.bootstrapServers(),
        dir.resolve("state"));
    props.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
    worker = ConnectWorker.start(props, new SimpleMeterRegistry());
    rest = new Rest(worker.restUrl());
    input = Files.writeString(dir.resolve("good.txt"), "");
    topic = "bad-input-" + Long.toHexString(System.nanoTime());
    Kafka.createTopic(broker.bootstrapServers(), topic, 1);
    assertThat(rest.post("/connectors", Map.of("name", GOOD, "config", goodConfig())).status())
        .isEqualTo(201);
    Await.until(WAIT, "the good connector RUNNING", this::goodIsRunning);
    appendLines(0, 100);
    Await.until(WAIT, "the first lines copied", () -> copiedLines(100) == 100);
    goodConfig = rest.get("/connectors/" + GOOD + "/config").body();
    goodTasks = rest.get("/connectors/" + GOOD + "/tasks").body();
  }

  @AfterAll
  void stop() {
    if (worker != null) {
      worker.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  private Map<String, Object> goodConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("connector.class", "FileStreamSource");
    c.put("file", input.toString());
    c.put("topic", topic);
    c.put("poll.interval.ms", "50");
    return c;
  }

  /** A valid source config (a new name, a file nobody writes) with {@code changes} made. */
  private static Map<String, Object> source(Object... changes) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("connector.class", "FileStreamSource");
    c.put("file", "/nonexistent/in.txt");
    c.put("topic", "t");
    return apply(c, changes);
  }

  /** A valid sink config with {@code changes} made (a null value removes the key). */
  private static Map<String, Object> sink(Object... changes) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("connector.class", "FileStreamSink");
    c.put("file", "/nonexistent/out.txt");
    c.put("topics", "t");
    return apply(c, changes);
  }

  private static Map<String, Object> apply(Map<String, Object> c, Object... changes) {
    for (int i = 0; i < changes.length; i += 2) {
      if (changes[i + 1] == null) {
        c.remove((String) changes[i]);
      } else {
        c.put((String) changes[i], changes[i + 1]);
      }
    }
    return c;
  }

  private static final String EXTRACT = "org.apache.kafka.connect.transforms.ExtractField$Value";
  private static final String TOPIC_MATCHES =
      "org.apache.kafka.connect.transforms.predicates.TopicNameMatches";

  /** Each case: what is wrong, the config, and what the message must name. */
  static Stream<Arguments> badCommonSettings() {
    return Stream.of(
        Arguments.of("a config value that is an object", source("topic", Map.of("x", 1)),
            "topic"),
        Arguments.of("a config value that is an array", source("file", List.of("a", "b")),
            "file"),
        Arguments.of("no connector class", source("connector.class", null), "connector.class"),
        Arguments.of("a blank connector class", source("connector.class", " "),
            "connector.class"),
        Arguments.of("an unknown connector class",
            source("connector.class", "com.example.NoSuchConnector"), "connector.class"),
        Arguments.of("a class that is no connector",
            source("connector.class", "java.lang.String"), "connector.class"),
        Arguments.of("a missing required setting", source("file", null), "file"),
        Arguments.of("tasks.max not a number", source("tasks.max", "zero"), "tasks.max"),
        Arguments.of("tasks.max a boolean", source("tasks.max", true), "tasks.max"),
        Arguments.of("tasks.max negative", source("tasks.max", -1), "tasks.max"),
        Arguments.of("tasks.max zero", source("tasks.max", 0), "tasks.max"),
        Arguments.of("a connector setting out of range", source("batch.size", -5),
            "batch.size"),
        Arguments.of("a connector setting of the wrong type",
            source("poll.interval.ms", "soon"), "poll.interval.ms"),
        Arguments.of("errors.tolerance not none or all", source("errors.tolerance", "some"),
            "errors.tolerance"),
        Arguments.of("errors.retry.timeout not a number",
            source("errors.retry.timeout", "later"), "errors.retry.timeout"),
        Arguments.of("a sink with no topics", sink("topics", null), "topics"),
        Arguments.of("a sink with topics and topics.regex", sink("topics.regex", "t.*"),
            "topics"),
        Arguments.of("a sink with an invalid topics.regex",
            sink("topics", null, "topics.regex", "(unclosed"), "topics.regex"),
        Arguments.of("a sink whose dead-letter topic it consumes",
            sink("errors.tolerance", "all", "errors.deadletterqueue.topic.name", "t"),
            "errors.deadletterqueue.topic.name"));
  }

  /** Converters, transforms and predicates, and their own settings. */
  static Stream<Arguments> badPluginSettings() {
    return Stream.of(
        Arguments.of("an unknown key converter", source("key.converter", "com.example.Nope"),
            "key.converter"),
        Arguments.of("a value converter that is no converter",
            source("value.converter", "java.lang.String"), "value.converter"),
        Arguments.of("an unknown header converter",
            source("header.converter", "com.example.Nope"), "header.converter"),
        Arguments.of("a converter setting of the wrong type",
            source("value.converter", "org.apache.kafka.connect.json.JsonConverter",
                "value.converter.schemas.enable", "maybe"),
            "value.converter.schemas.enable"),
        Arguments.of("a transform without a type", source("transforms", "x"),
            "transforms.x.type"),
        Arguments.of("an unknown transform class",
            source("transforms", "x", "transforms.x.type", "com.example.Nope"),
            "transforms.x.type"),
        Arguments.of("a transform class that is no transform",
            source("transforms", "x", "transforms.x.type", TOPIC_MATCHES),
            "transforms.x.type"),
        Arguments.of("a transform missing its own required setting",
            source("transforms", "x", "transforms.x.type", EXTRACT), "transforms.x.field"),
        Arguments.of("a transform alias given twice",
            source("transforms", "x,x", "transforms.x.type", EXTRACT,
                "transforms.x.field", "f"), "transforms"),
        Arguments.of("a transform naming an undefined predicate",
            source("transforms", "x", "transforms.x.type", EXTRACT, "transforms.x.field", "f",
                "transforms.x.predicate", "nope"), "transforms.x.predicate"),
        Arguments.of("negate that is no boolean",
            source("transforms", "x", "transforms.x.type", EXTRACT, "transforms.x.field", "f",
                "transforms.x.negate", "maybe"), "transforms.x.negate"),
        Arguments.of("a predicate without a type", source("predicates", "p"),
            "predicates.p.type"),
        Arguments.of("an unknown predicate class",
            source("predicates", "p", "predicates.p.type", "com.example.Nope"),
            "predicates.p.type"),
        Arguments.of("a predicate class that is no predicate",
            source("predicates", "p", "predicates.p.type", EXTRACT), "predicates.p.type"),
        Arguments.of("a predicate missing its own required setting",
            source("predicates", "p", "predicates.p.type", TOPIC_MATCHES),
            "predicates.p.pattern"),
        Arguments.of("a predicate with an invalid regex",
            source("predicates", "p", "predicates.p.type", TOPIC_MATCHES,
                "predicates.p.pattern", "(unclosed"), "predicates.p.pattern"));
  }

  @Order(1)
  @ParameterizedTest(name = "{0}")
  @MethodSource({"badCommonSettings", "badPluginSettings"})
  void aBadConfigIs400NamingTheFieldAndChangesNothing(String what, Map<String, Object> config,
      String field) {
    Response created = rest.post("/connectors", Map.of("name", "bad", "config", config));
    assertRefused(created, field);
    Response put = rest.put("/connectors/bad/config", config);
    assertRefused(put, field);
    Map<String, Object> update = new LinkedHashMap<>(config);
    update.put("name", GOOD);
    assertRefused(rest.put("/connectors/" + GOOD + "/config", update), field);
    assertValidationFinds(config, field);
    assertNothingChanged();
  }

  /**
   * {@code PUT /connector-plugins/CLASS/config/validate} reports the error on the field (or
   * refuses the body naming it), when the config names its class (else the path does).
   */
  private void assertValidationFinds(Map<String, Object> config, String field) {
    if (!(config.get("connector.class") instanceof String cls) || cls.isBlank()) {
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>(config);
    body.put("name", "bad");
    Response r = rest.put("/connector-plugins/" + cls + "/config/validate", body);
    if (r.status() != 200) {
      assertRefused(r, field);
      return;
    }
    List<String> errors = new ArrayList<>();
    for (JsonNode c : r.body().path("configs")) {
      if (c.path("value").path("name").asText().equals(field)) {
        c.path("value").path("errors").forEach(e -> errors.add(e.asText()));
      }
    }
    assertThat(errors).as("validation errors of " + field).isNotEmpty();
    assertThat(r.body().path("error_count").asInt()).isEqualTo(errors.size());
  }

  /** Each case: what is wrong, the raw body of {@code POST /connectors}, what the message says. */
  static Stream<Arguments> badBodies() {
    return Stream.of(
        Arguments.of("invalid JSON", "{\"name\": \"bad\", \"config\": {", "not valid JSON"),
        Arguments.of("an empty body", "", "body is required"),
        Arguments.of("JSON null", "null", "body is required"),
        Arguments.of("an array body", "[1,2]", "must be a JSON object"),
        Arguments.of("a string body", "\"bad\"", "must be a JSON object"),
        Arguments.of("no name", "{\"config\": {\"connector.class\": \"FileStreamSource\"}}",
            "\"name\""),
        Arguments.of("a blank name", "{\"name\": \" \", \"config\": {}}", "\"name\""),
        Arguments.of("a name that is no string", "{\"name\": 5, \"config\": {}}", "\"name\""),
        Arguments.of("a name with a slash", "{\"name\": \"a/b\", \"config\": {}}", "'/'"),
        Arguments.of("no config", "{\"name\": \"bad\"}", "\"config\""),
        Arguments.of("a config that is no object", "{\"name\": \"bad\", \"config\": [1]}",
            "\"config\""),
        Arguments.of("a config naming another connector",
            "{\"name\": \"bad\", \"config\": {\"name\": \"other\"}}", "doesn't match"),
        Arguments.of("an unknown initial_state",
            "{\"name\": \"bad\", \"config\": {}, \"initial_state\": \"ASLEEP\"}",
            "initial_state"));
  }

  @Order(2)
  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void aMalformedBodyIs400AndChangesNothing(String what, String body, String message) {
    Response r = rest.post("/connectors", body);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body().path("error_code").asInt()).isEqualTo(400);
    assertThat(r.message()).contains(message);
    assertNothingChanged();
  }

  @Order(3)
  @Test
  void malformedConfigUpdatesAre400AndChangeNothing() {
    for (String body : List.of("{\"topic\": ", "[1]", "\"x\"", "", "{\"topic\": {\"a\": 1}}")) {
      Response r = rest.put("/connectors/" + GOOD + "/config", body);
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(r.body().path("error_code").asInt()).isEqualTo(400);
    }
    assertNothingChanged();
  }

  @Order(4)
  @Test
  void theGoodConnectorKeptCopyingThroughout() {
    appendLines(100, 200);
    Await.until(WAIT, "the later lines copied too", () -> copiedLines(200) == 200);
    assertThat(goodIsRunning()).isTrue();
  }

  private void assertRefused(Response r, String field) {
    assertThat(r.status()).as("status, message %s", r.message()).isEqualTo(400);
    assertThat(r.body().path("error_code").asInt()).isEqualTo(400);
    assertThat(r.message()).contains(field + ":");
  }

  private void assertNothingChanged() {
    assertThat(rest.get("/connectors").body()).extracting(JsonNode::asText)
        .containsExactly(GOOD);
    assertThat(rest.get("/connectors/bad").status()).isEqualTo(404);
    assertThat(rest.get("/connectors/" + GOOD + "/config").body()).isEqualTo(goodConfig);
    assertThat(rest.get("/connectors/" + GOOD + "/tasks").body()).isEqualTo(goodTasks);
    assertThat(goodIsRunning()).as("the good connector and its task RUNNING").isTrue();
  }

  private boolean goodIsRunning() {
    JsonNode s = rest.get("/connectors/" + GOOD + "/status").body();
    return s.path("connector").path("state").asText().equals("RUNNING")
        && s.path("tasks").size() == 1
        && s.path("tasks").get(0).path("state").asText().equals("RUNNING");
  }

  private void appendLines(int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      sb.append("line-").append(i).append('\n');
    }
    try {
      Files.writeString(input, sb, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lines in the topic, failing on a duplicate (the task was never restarted). */
  private int copiedLines(int expected) {
    List<String> values = Kafka.values(Kafka.consume(broker.bootstrapServers(), topic, expected,
        Duration.ofSeconds(2)));
    assertThat(new HashSet<>(values)).as("no duplicates").hasSameSizeAs(values);
    return values.size();
  }
}
