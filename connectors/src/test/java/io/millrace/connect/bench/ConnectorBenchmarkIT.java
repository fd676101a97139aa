package io.millrace.connect.bench;

import io.millrace.connect.ConnectWorker;
import io.millrace.connect.testing.Await;
import io.millrace.connect.testing.Rest;
import io.millrace.connect.testing.TestBroker;
import io.millrace.connect.testing.WorkerProps;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throughput of the JDBC source (rows/s, PostgreSQL and MariaDB) and the HTTP sink (records/s)
 * end to end through a standalone worker and the embedded broker. A benchmark, not a test: it
 * asserts nothing about speed and runs only with {@code -Dmillrace.bench=true}:
 *
 * <pre>
 *   mvn -B -pl connectors -am verify -Dtest=NoSuch -Dit.test=ConnectorBenchmarkIT \
 *       -Dmillrace.bench=true [-Dbench.rows=200000]
 * </pre>
 *
 * Figures go to stdout and to {@code connectors/target/connect-bench.txt}.
 */
class ConnectorBenchmarkIT {
  private static final int ROWS = Integer.getInteger("bench.rows", 200_000);
  private static TestBroker broker;
  private static final List<String> results = new ArrayList<>();
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    Assumptions.assumeTrue(Boolean.getBoolean("millrace.bench"),
        "benchmark: run with -Dmillrace.bench=true");
    broker = TestBroker.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (broker != null) {
      broker.close();
      Files.write(Path.of("target", "connect-bench.txt"), results);
    }
  }

  private ConnectWorker worker() {
    Map<String, String> p = WorkerProps.standalone(broker.bootstrapServers(),
        dir.resolve("state"));
    p.remove("offset.flush.interval.ms"); // the default, as a user runs it
    p.put("producer.linger.ms", "5");
    p.put("producer.batch.size", "262144");
    return ConnectWorker.start(p);
  }

  private static void report(String line) {
    System.out.println("BENCH " + line);
    results.add(line);
  }

  private static long endOffsets(String topic) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      return admin.listOffsets(Map.of(new TopicPartition(topic, 0), OffsetSpec.latest()))
          .all().get().values().stream().mapToLong(i -> i.offset()).sum();
    } catch (Exception e) {
      return -1;
    }
  }

  @Test
  void jdbcSourcePostgres() throws Exception {
    jdbcSource("postgresql", "jdbc:postgresql://127.0.0.1:5432/test", "postgres",
        "CREATE TABLE %s (id BIGSERIAL PRIMARY KEY, name VARCHAR(40) NOT NULL, "
            + "amount NUMERIC(10,2), created TIMESTAMP)",
        "INSERT INTO %s (name, amount, created) SELECT 'name-' || g, g / 100.0, "
            + "TIMESTAMP '2024-01-01' + g * INTERVAL '1 second' FROM generate_series(1, %d) g",
        "\"%s\"");
  }

  @Test
  void jdbcSourceMariaDb() throws Exception {
    jdbcSource("mariadb", "jdbc:mariadb://127.0.0.1:3306/test", "root",
        "CREATE TABLE %s (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL, "
            + "amount DECIMAL(10,2), created DATETIME(3))",
        "INSERT INTO %s (name, amount, created) SELECT CONCAT('name-', seq), seq / 100, "
            + "TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq SECOND FROM seq_1_to_%d",
        "`%s`");
  }

  private void jdbcSource(String db, String url, String user, String ddl, String fill,
      String quote) throws Exception {
    String table = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    try (Connection c = DriverManager.getConnection(url, user, "");
         Statement st = c.createStatement()) {
      st.execute(String.format(ddl, String.format(quote, table)));
      st.execute(String.format(fill, String.format(quote, table), ROWS));
    }
    try (ConnectWorker w = worker()) {
      Map<String, Object> cfg = new LinkedHashMap<>();
      cfg.put("connector.class", "JdbcSource");
      cfg.put("connection.url", url);
      cfg.put("connection.user", user);
      cfg.put("mode", "incrementing");
      cfg.put("incrementing.column.name", "id");
      cfg.put("table.whitelist", table);
      cfg.put("topic.prefix", "bench-");
      cfg.put("batch.max.rows", "1000");
      long start = System.nanoTime();
      new Rest(w.restUrl().replaceAll("//[^:]+:", "//127.0.0.1:"))
          .post("/connectors", Map.of("name", table, "config", cfg));
      Await.until(Duration.ofMinutes(10), ROWS + " rows in the topic",
          () -> endOffsets("bench-" + table) >= ROWS);
      double secs = (System.nanoTime() - start) / 1e9;
      report(String.format("jdbc-source %-10s %d rows in %.1f s: %.0f rows/s (JSON with "
          + "schemas, batch.max.rows=1000)", db, ROWS, secs, ROWS / secs));
    } finally {
      try (Connection c = DriverManager.getConnection(url, user, "");
           Statement st = c.createStatement()) {
        st.execute("DROP TABLE " + String.format(quote, table));
      }
    }
  }

  @Test
  void httpSink() throws Exception {
    String topic = "bench-http-" + UUID.randomUUID();
    try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(
        "bootstrap.servers", broker.bootstrapServers(), "linger.ms", "5",
        "batch.size", "262144"), new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < ROWS; i++) {
        p.send(new ProducerRecord<>(topic, null, "{\"id\":" + i + ",\"name\":\"item-" + i
            + "\",\"amount\":" + (i % 1000) + ".5}"));
      }
    }
    Vertx vertx = Vertx.vertx();
    AtomicLong received = new AtomicLong();
    HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body()
        .onSuccess(b -> {
          received.addAndGet(b.toJsonArray().size());
          req.response().setStatusCode(200).end();
        })).listen(0, "127.0.0.1").await();
    try (ConnectWorker w = worker()) {
      Map<String, Object> cfg = new LinkedHashMap<>();
      cfg.put("connector.class", "HttpSink");
      cfg.put("topics", topic);
      cfg.put("http.url", "http://127.0.0.1:" + server.actualPort() + "/ingest");
      cfg.put("batch.max.size", "500");
      cfg.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
      cfg.put("value.converter.schemas.enable", "false");
      cfg.put("consumer.override.max.poll.records", "2000");
      long start = System.nanoTime();
      new Rest(w.restUrl().replaceAll("//[^:]+:", "//127.0.0.1:"))
          .post("/connectors", Map.of("name", "bench-http", "config", cfg));
      Await.until(Duration.ofMinutes(10), ROWS + " records posted",
          () -> received.get() >= ROWS);
      double secs = (System.nanoTime() - start) / 1e9;
      report(String.format("http-sink  %d records in %.1f s: %.0f records/s (batches of 500, "
          + "schemaless JSON)", ROWS, secs, ROWS / secs));
    } finally {
      server.close().await();
      vertx.close().await();
    }
  }
}
