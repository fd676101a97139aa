package io.millrace.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.EmbeddedBroker;
import io.millrace.engine.metrics.ScrapedMetrics;
import io.millrace.runtime.tools.CliProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker under load, a streams application ({@code bin/millrace streams run WordCount}) and a
 * connect worker ({@code bin/millrace connect}, a file source and a file sink that dead-letters
 * bad records) run side by side; their {@code /metrics} are scraped, and every series name used
 * by every dashboard panel, dashboard variable and alerting rule in {@code grafana/} must exist in
 * those scrapes, with the labels the query filters and groups by. A renamed series or label fails
 * here instead of blanking a panel.
 */
class MonitoringIT {

  private static final Duration WAIT = Duration.ofSeconds(90);
  /** Labels Prometheus adds to every series it scrapes, and the histogram bucket label. */
  private static final Set<String> ADDED_LABELS = Set.of("instance", "job", "le");

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void stopAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  @Test
  void everyDashboardAndAlertSeriesExistsInLiveScrapes() throws Exception {
    EmbeddedBroker broker = EmbeddedBroker.start(Map.of("metrics.port", "0",
        "group.initial.rebalance.delay.ms", "0", "offsets.topic.num.partitions", "2"));
    open.add(broker);
    String bootstrap = broker.bootstrapServers();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic("streams-plaintext-input", 2, (short) 1),
          new NewTopic("streams-wordcount-output", 2, (short) 1), new NewTopic("file-lines", 1, (short) 1),
          new NewTopic("mixed", 1, (short) 1), new NewTopic("dead-letters", 1, (short) 1))).all().get();
    }
    int streamsPort = freePort();
    int connectPort = freePort();
    int restPort = freePort();
    CliProcess streams = CliProcess.start(dir, "streams", "run", "WordCount", "--bootstrap-server", bootstrap,
        "--state-dir", dir.resolve("streams-state").toString(), "--config", "metrics.port=" + streamsPort,
        "--config", "commit.interval.ms=200");
    open.add(streams);
    CliProcess connect = CliProcess.start(dir, "connect", "--override", "mode=standalone",
        "--override", "bootstrap.servers=" + bootstrap, "--override", "rest.host.name=127.0.0.1",
        "--override", "rest.port=" + restPort, "--override", "metrics.port=" + connectPort,
        "--override", "standalone.storage.dir=" + dir.resolve("connect"),
        "--override", "offset.flush.interval.ms=300");
    open.add(connect);

    // Load: lines for the word count, a consumer group that commits part of them.
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
        "linger.ms", "5"), new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < 200; i++) {
        producer.send(new ProducerRecord<>("streams-plaintext-input", "line-" + i, "the wheel turns " + i));
      }
      producer.send(new ProducerRecord<>("mixed", "{\"amount\": 3}"));
      producer.send(new ProducerRecord<>("mixed", "this is not json"));
    }
    commitSomething(bootstrap);

    awaitReady(connectPort, "the connect worker");
    Files.writeString(dir.resolve("in.txt"), "first\nsecond\nthird\n");
    deploy(restPort, "{\"name\":\"lines\",\"config\":{\"connector.class\":\"FileStreamSource\",\"file\":\""
        + dir.resolve("in.txt") + "\",\"topic\":\"file-lines\","
        + "\"value.converter\":\"org.apache.kafka.connect.storage.StringConverter\"}}");
    deploy(restPort, "{\"name\":\"copy\",\"config\":{\"connector.class\":\"FileStreamSink\",\"topics\":\"mixed\","
        + "\"file\":\"" + dir.resolve("out.txt") + "\","
        + "\"value.converter\":\"org.apache.kafka.connect.json.JsonConverter\","
        + "\"value.converter.schemas.enable\":\"false\",\"errors.tolerance\":\"all\","
        + "\"errors.deadletterqueue.topic.name\":\"dead-letters\","
        + "\"errors.deadletterqueue.topic.replication.factor\":\"1\"}}");

    ScrapedMetrics connectScrape = awaitScrape(connectPort, "connector records, dead letters and commits",
        m -> m.sum("millrace_connect_source_records_total") == 3 && m.sum("millrace_connect_sink_records_total") == 1
            && m.sum("millrace_connect_dead_letter_records_total") == 1
            && m.sum("millrace_connect_offset_commit_duration_seconds_count") > 0);
    assertThat(connectScrape.sum("millrace_connect_source_polled_records_total")).isEqualTo(3);
    assertThat(connectScrape.value("millrace_connect_records_failed_total", "connector", "copy", "stage",
        "VALUE_CONVERTER")).hasValue(1);
    assertThat(connectScrape.find("millrace_connect_task_state", "state", "RUNNING")).hasSize(2);

    awaitReady(streamsPort, "the streams application");
    ScrapedMetrics streamsScrape = awaitScrape(streamsPort, "all 200 lines processed and committed",
        m -> m.sum("millrace_streams_task_processed_records_total", "task", "0_0")
            + m.sum("millrace_streams_task_processed_records_total", "task", "0_1") == 200
            && m.sum("millrace_streams_thread_commits_total") > 0);
    assertThat(streamsScrape.value("millrace_streams_state", "state", "RUNNING")).hasValue(1);

    ScrapedMetrics brokerScrape = awaitScrape(broker.broker().metricsPort(), "lag of the readers group",
        m -> !m.find("millrace_group_lag_records", "group", "readers").isEmpty());
    assertThat(brokerScrape.value("millrace_topic_produced_records_total", "topic", "streams-plaintext-input"))
        .hasValue(200);

    List<ScrapedMetrics> scrapes = List.of(brokerScrape, connectScrape, streamsScrape);
    Map<String, Set<String>> labels = labelsByName(scrapes);
    List<String> problems = new ArrayList<>();
    for (GrafanaQueries.Query q : GrafanaQueries.queries()) {
      checkQuery(q, labels, problems);
    }
    for (GrafanaQueries.Query q : GrafanaQueries.variableQueries()) {
      Map.Entry<String, String> lv = GrafanaQueries.labelValues(q.expr());
      if (!labels.containsKey(lv.getKey())) {
        problems.add(q + ": no series " + lv.getKey());
      } else if (!labels.get(lv.getKey()).contains(lv.getValue()) && !ADDED_LABELS.contains(lv.getValue())) {
        problems.add(q + ": " + lv.getKey() + " has no label " + lv.getValue());
      }
    }
    assertThat(problems).as("queries in grafana/ that would show nothing").isEmpty();
    checkDocumented(labels.keySet());
  }

  /** docs/metrics.md lists every millrace_ series the processes publish, and no other. */
  private static void checkDocumented(Set<String> scraped) throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "metrics.md"));
    Set<String> documented = new HashSet<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("`(millrace_[a-z0-9_]+)`").matcher(doc);
    while (m.find()) {
      documented.add(m.group(1));
    }
    Set<String> published = new HashSet<>();
    for (String name : scraped) {
      if (name.startsWith("millrace_")) {
        String base = name.replaceAll("_(bucket|count|sum|max)$", "");
        published.add(documented.contains(name) || !documented.contains(base) ? name : base);
      }
    }
    assertThat(documented).as("series in docs/metrics.md").containsExactlyInAnyOrderElementsOf(published);
  }

  private static void checkQuery(GrafanaQueries.Query q, Map<String, Set<String>> labels, List<String> problems) {
    Set<String> names = GrafanaQueries.metricNames(q.expr());
    Set<String> available = new HashSet<>(ADDED_LABELS);
    for (String name : names) {
      if (!labels.containsKey(name)) {
        problems.add(q + ": no series " + name);
      } else {
        available.addAll(labels.get(name));
      }
    }
    GrafanaQueries.selectorLabels(q.expr()).forEach((name, keys) -> {
      for (String key : keys) {
        if (labels.containsKey(name) && !labels.get(name).contains(key) && !ADDED_LABELS.contains(key)) {
          problems.add(q + ": " + name + " has no label " + key);
        }
      }
    });
    for (String label : GrafanaQueries.groupingLabels(q.expr())) {
      if (!available.contains(label)) {
        problems.add(q + ": no series of the query has the label " + label);
      }
    }
  }

  private static Map<String, Set<String>> labelsByName(List<ScrapedMetrics> scrapes) {
    Map<String, Set<String>> out = new HashMap<>();
    for (ScrapedMetrics m : scrapes) {
      for (ScrapedMetrics.Sample s : m.samples()) {
        out.computeIfAbsent(s.name(), k -> new HashSet<>()).addAll(s.labels().keySet());
      }
    }
    return out;
  }

  private void commitSomething(String bootstrap) {
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
        "group.id", "readers", "auto.offset.reset", "earliest", "enable.auto.commit", "false"),
        new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of("streams-plaintext-input"));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (consumer.poll(Duration.ofMillis(200)).isEmpty()) {
        assertThat(System.nanoTime()).as("the readers group gets records").isLessThan(deadline);
      }
      consumer.commitSync();
    }
  }

  private ScrapedMetrics awaitScrape(int port, String what, Predicate<ScrapedMetrics> condition) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      ScrapedMetrics m = ScrapedMetrics.parse(get(port, "/metrics").body());
      if (condition.test(m)) {
        return m;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + " on :" + port + "; last scrape:\n"
            + get(port, "/metrics").body());
      }
      Thread.onSpinWait();
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
    }
  }

  private void awaitReady(int port, String what) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = get(port, "/ready");
        if (r.statusCode() == 200) {
          return;
        }
        last = r.statusCode() + " " + r.body();
      } catch (IOException notListening) {
        last = notListening.toString();
      }
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
    }
    throw new AssertionError(what + " is not ready on :" + port + ": " + last);
  }

  private void deploy(int restPort, String json) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + "/connectors"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
