package io.millrace.engine.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.EmbeddedBroker;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scrapes {@code /metrics} of a live broker while real clients produce, consume and commit, and
 * checks the key series against what the clients did: bytes and records in, bytes out, offsets,
 * consumer lag, groups, requests, connections, controller state, JVM and Vert.x.
 */
class BrokerMetricsIT {

  static final String TOPIC = "orders";
  static EmbeddedBroker broker;
  static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedBroker.start(Map.of("metrics.port", "0", "group.initial.rebalance.delay.ms", "0",
        "offsets.topic.num.partitions", "2"));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get();
    }
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void seriesFollowProduceConsumeAndCommit() throws Exception {
    produce(0, 100);
    produce(1, 100);
    produce(2, 100);

    ScrapedMetrics m = scrape();
    assertThat(m.value("millrace_topic_produced_records_total", "topic", TOPIC)).hasValue(300);
    double producedBytes = m.value("millrace_topic_produced_bytes_total", "topic", TOPIC).orElseThrow();
    assertThat(producedBytes).isPositive()
        .isEqualTo(m.value("millrace_topic_log_size_bytes", "topic", TOPIC).orElseThrow())
        .isEqualTo(m.sum("millrace_partition_log_size_bytes", "topic", TOPIC));
    assertThat(m.value("millrace_topic_partitions", "topic", TOPIC)).hasValue(3);
    for (int p = 0; p < 3; p++) {
      String partition = String.valueOf(p);
      assertThat(m.value("millrace_partition_log_end_offset", "topic", TOPIC, "partition", partition)).hasValue(100);
      assertThat(m.value("millrace_partition_high_watermark", "topic", TOPIC, "partition", partition)).hasValue(100);
      assertThat(m.value("millrace_partition_log_start_offset", "topic", TOPIC, "partition", partition)).hasValue(0);
      assertThat(m.value("millrace_partition_log_segments", "topic", TOPIC, "partition", partition)).hasValue(1);
      assertThat(m.value("millrace_partition_in_sync_replicas", "topic", TOPIC, "partition", partition)).hasValue(1);
    }
    assertThat(m.value("millrace_network_received_bytes_total", "listener", "PLAINTEXT").orElseThrow())
        .isGreaterThan(producedBytes);
    assertThat(m.value("millrace_request_duration_seconds_count", "api", "Produce").orElseThrow()).isPositive();

    // A standalone consumer reads everything once: bytes out grow by the bytes in.
    double fetchedBefore = m.sum("millrace_topic_fetched_bytes_total", "topic", TOPIC);
    readAll("reader");
    m = scrape();
    assertThat(m.value("millrace_topic_fetched_bytes_total", "topic", TOPIC).orElseThrow() - fetchedBefore)
        .isEqualTo(producedBytes);

    // Commits: lag is the high watermark minus the committed offset, per partition and summed.
    commit("billing", Map.of(0, 100L, 1, 40L, 2, 7L));
    m = scrape();
    assertThat(m.value("millrace_group_lag_records", "group", "billing", "topic", TOPIC, "partition", "0")).hasValue(0);
    assertThat(m.value("millrace_group_lag_records", "group", "billing", "topic", TOPIC, "partition", "1")).hasValue(60);
    assertThat(m.value("millrace_group_lag_records", "group", "billing", "topic", TOPIC, "partition", "2")).hasValue(93);
    assertThat(m.value("millrace_group_topic_lag_records", "group", "billing", "topic", TOPIC)).hasValue(153);
    assertThat(m.value("millrace_group_committed_offset", "group", "billing", "topic", TOPIC, "partition", "1"))
        .hasValue(40);
    assertThat(m.value("millrace_group_state", "group", "billing", "state", "Empty")).hasValue(1);

    // More records: the lag grows by exactly as many, at the next scrape.
    produce(0, 50);
    m = scrape();
    assertThat(m.value("millrace_group_lag_records", "group", "billing", "topic", TOPIC, "partition", "0")).hasValue(50);
    assertThat(m.value("millrace_group_topic_lag_records", "group", "billing", "topic", TOPIC)).hasValue(203);
    assertThat(m.value("millrace_topic_produced_records_total", "topic", TOPIC)).hasValue(350);
  }

  @Test
  void subscribedConsumerShowsAsStableGroupWithMembers() throws Exception {
    try (KafkaConsumer<String, String> consumer = consumer("audit")) {
      consumer.subscribe(List.of(TOPIC));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      ScrapedMetrics m = scrape();
      while (!m.value("millrace_group_state", "group", "audit", "state", "Stable").isPresent()) {
        assertThat(System.nanoTime()).as("the audit group becomes Stable").isLessThan(deadline);
        consumer.poll(Duration.ofMillis(100));
        m = scrape();
      }
      assertThat(m.value("millrace_group_members", "group", "audit")).hasValue(1);
      assertThat(m.value("millrace_groups", "state", "Stable").orElseThrow()).isGreaterThanOrEqualTo(1);
      assertThat(m.find("millrace_group_rebalances_total", "group", "audit")).hasSize(1);
    }
  }

  @Test
  void brokerControllerRequestAndNetworkSeries() throws Exception {
    ScrapedMetrics m = scrape();
    assertThat(m.value("millrace_controller_active")).hasValue(1);
    assertThat(m.value("millrace_controller_brokers")).hasValue(1);
    assertThat(m.value("millrace_controller_offline_partitions")).hasValue(0);
    assertThat(m.value("millrace_broker_under_replicated_partitions")).hasValue(0);
    assertThat(m.value("millrace_broker_under_min_isr_partitions")).hasValue(0);
    double leaders = m.value("millrace_broker_leader_partitions").orElseThrow();
    assertThat(leaders).isGreaterThanOrEqualTo(3).isEqualTo(m.value("millrace_broker_partitions").orElseThrow())
        .isEqualTo(m.value("millrace_controller_partitions").orElseThrow());
    assertThat(m.find("millrace_broker_info", "node_id", "1")).hasSize(1);
    assertThat(m.value("millrace_metadata_version").orElseThrow()).isPositive();
    assertThat(m.value("millrace_network_connections", "listener", "PLAINTEXT")).isPresent();
    assertThat(m.find("millrace_request_duration_seconds_bucket", "api", "Metadata")).hasSizeGreaterThan(10);
    assertThat(m.value("millrace_request_unsupported_total")).isPresent();
    assertThat(m.names()).contains("jvm_memory_used_bytes", "jvm_gc_pause_seconds_count", "process_cpu_usage",
        "jvm_threads_live_threads", "process_uptime_seconds");
    assertThat(m.names()).anyMatch(n -> n.startsWith("vertx_pool_"));
  }

  @Test
  void healthReadyAndErrors() throws Exception {
    HttpResponse<String> health = get("/health", Map.of());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(health.body()).getString("status")).isEqualTo("up");
    assertThat(new JsonObject(health.body()).getString("component")).isEqualTo("broker");

    HttpResponse<String> ready = get("/ready", Map.of());
    assertThat(ready.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(ready.body());
    assertThat(body.getString("status")).isEqualTo("ready");
    assertThat(body.getJsonObject("checks").fieldNames())
        .containsExactly("logs_recovered", "metadata_loaded", "listeners_bound", "cluster_joined");

    assertThat(get("/nope", Map.of()).statusCode()).isEqualTo(404);
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri("/metrics"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);

    HttpResponse<String> text = get("/metrics", Map.of());
    assertThat(text.headers().firstValue("content-type")).hasValue(MetricsServer.TEXT_004);
    HttpResponse<String> om = get("/metrics", Map.of("Accept", "application/openmetrics-text; version=1.0.0"));
    assertThat(om.statusCode()).isEqualTo(200);
    assertThat(om.headers().firstValue("content-type")).hasValue(MetricsServer.OPENMETRICS_100);
    assertThat(om.body()).endsWith("# EOF\n");
  }

  @Test
  void partitionLevelSeriesCanBeTurnedOff() throws Exception {
    try (EmbeddedBroker small = EmbeddedBroker.start(Map.of("metrics.port", "0",
        "metrics.partition.level.enabled", "false", "offsets.topic.num.partitions", "1"))) {
      try (KafkaProducer<String, String> producer = producer(small.bootstrapServers())) {
        producer.send(new ProducerRecord<>("quiet", 0, "k", "v")).get();
      }
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + small.broker().metricsPort() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      ScrapedMetrics m = ScrapedMetrics.parse(r.body());
      assertThat(m.value("millrace_topic_produced_records_total", "topic", "quiet")).hasValue(1);
      assertThat(m.names()).noneMatch(n -> n.startsWith("millrace_partition_"));
    }
  }

  // ------------------------------------------------------------------ helpers

  static ScrapedMetrics scrape() throws Exception {
    HttpResponse<String> r = get("/metrics", Map.of());
    assertThat(r.statusCode()).isEqualTo(200);
    return ScrapedMetrics.parse(r.body());
  }

  static HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + broker.broker().metricsPort() + path);
  }

  static void produce(int partition, int count) throws Exception {
    try (KafkaProducer<String, String> producer = producer(broker.bootstrapServers())) {
      for (int i = 0; i < count; i++) {
        producer.send(new ProducerRecord<>(TOPIC, partition, "k" + i, "value-" + i));
      }
      producer.flush();
    }
  }

  static KafkaProducer<String, String> producer(String bootstrap) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("linger.ms", "5");
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  static KafkaConsumer<String, String> consumer(String group) {
    Properties p = new Properties();
    p.put("bootstrap.servers", broker.bootstrapServers());
    p.put("group.id", group);
    p.put("auto.offset.reset", "earliest");
    p.put("enable.auto.commit", "false");
    return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
  }

  /** Reads the topic from the start with assign (no group membership) until it has every record. */
  static void readAll(String group) {
    try (KafkaConsumer<String, String> consumer = consumer(group)) {
      List<TopicPartition> all = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1),
          new TopicPartition(TOPIC, 2));
      consumer.assign(all);
      consumer.seekToBeginning(all);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      int read = 0;
      Predicate<Integer> done = n -> n >= 300;
      while (!done.test(read)) {
        assertThat(System.nanoTime()).as("read 300 records, have " + read).isLessThan(deadline);
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
        read += records.count();
      }
    }
  }

  static void commit(String group, Map<Integer, Long> offsets) {
    try (KafkaConsumer<String, String> consumer = consumer(group)) {
      Map<TopicPartition, OffsetAndMetadata> commits = new java.util.HashMap<>();
      offsets.forEach((p, o) -> commits.put(new TopicPartition(TOPIC, p), new OffsetAndMetadata(o)));
      consumer.commitSync(commits);
    }
  }
}
