package io.millrace.connect.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.connect.ConnectWorker;
import io.millrace.connect.testing.Await;
import io.millrace.connect.testing.Kafka;
import io.millrace.connect.testing.Rest;
import io.millrace.connect.testing.TestBroker;
import io.millrace.connect.testing.WorkerProps;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** JDBC source and sink against the real PostgreSQL and MariaDB on loopback. */
class JdbcConnectorsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static TestBroker broker;
  @TempDir Path dir;
  private ConnectWorker worker;
  private Rest rest;
  private final List<String> dropTables = new ArrayList<>();
  private Db dropDb;

  /** The two databases, with their DDL dialects. */
  enum Db {
    POSTGRESQL("jdbc:postgresql://127.0.0.1:5432/test", "postgres",
        "BIGSERIAL PRIMARY KEY", "TIMESTAMP(3)"),
    MARIADB("jdbc:mariadb://127.0.0.1:3306/test", "root", "BIGINT AUTO_INCREMENT PRIMARY KEY",
        "DATETIME(3)");

    final String url;
    final String user;
    final String serial;
    final String timestamp;

    Db(String url, String user, String serial, String timestamp) {
      this.url = url;
      this.user = user;
      this.serial = serial;
      this.timestamp = timestamp;
    }

    Connection connect() throws Exception {
      return DriverManager.getConnection(url, user, "");
    }

    String q(String id) {
      return this == POSTGRESQL ? "\"" + id + "\"" : "`" + id + "`";
    }
  }

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

  @BeforeEach
  void startWorker() {
    worker = ConnectWorker.start(WorkerProps.standalone(broker.bootstrapServers(),
        dir.resolve("state")));
    rest = new Rest("http://127.0.0.1:" + worker.restPort());
  }

  @AfterEach
  void cleanUp() throws Exception {
    worker.close();
    if (dropDb != null) {
      try (Connection c = dropDb.connect(); Statement st = c.createStatement()) {
        for (String t : dropTables) {
          st.execute("DROP TABLE IF EXISTS " + dropDb.q(t));
        }
      }
    }
  }

  private String table(Db db, String ddl) throws Exception {
    String name = "jt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    dropDb = db;
    dropTables.add(name);
    try (Connection c = db.connect(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + db.q(name) + " (" + ddl + ")");
    }
    return name;
  }

  private static void exec(Db db, String sql) throws Exception {
    try (Connection c = db.connect(); Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static List<JsonNode> json(String topic, int n) {
    List<JsonNode> out = new ArrayList<>();
    for (String v : Kafka.values(Kafka.consume(broker.bootstrapServers(), topic, n,
        Duration.ofSeconds(3)))) {
      try {
        out.add(Rest.JSON.readTree(v));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void incrementingSourceCopiesNewRowsWithTheirTypes(Db db) throws Exception {
    String t = table(db, "id " + db.serial + ", name VARCHAR(40) NOT NULL, "
        + "amount DECIMAL(10,2), created " + db.timestamp + ", flag BOOLEAN");
    for (int i = 1; i <= 5; i++) {
      exec(db, "INSERT INTO " + db.q(t) + " (name, amount, created, flag) VALUES ('n" + i
          + "', " + i + ".25, '2024-01-0" + i + " 10:00:00', " + (i % 2 == 0) + ")");
    }
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("connector.class", "JdbcSource");
    cfg.put("connection.url", db.url);
    cfg.put("connection.user", db.user);
    cfg.put("mode", "incrementing");
    cfg.put("incrementing.column.name", "id");
    cfg.put("table.whitelist", t);
    cfg.put("topic.prefix", "jdbc-");
    cfg.put("poll.interval.ms", "200");
    cfg.put("batch.max.rows", "2");
    Kafka.createTopic(broker.bootstrapServers(), "jdbc-" + t, 1); // one partition: order checked
    assertThat(rest.post("/connectors", Map.of("name", "src-" + t, "config", cfg)).status())
        .isEqualTo(201);
    String topic = "jdbc-" + t;
    Await.until(WAIT, "5 rows", () -> json(topic, 5).size() >= 5);
    List<JsonNode> rows = json(topic, 5);
    JsonNode first = rows.get(0);
    assertThat(first.path("payload").path("name").asText()).isEqualTo("n1");
    assertThat(first.path("payload").path("id").asLong()).isEqualTo(1);
    JsonNode fields = first.path("schema").path("fields");
    Map<String, JsonNode> byName = new HashMap<>();
    fields.forEach(f -> byName.put(f.path("field").asText(), f));
    assertThat(byName.get("id").path("type").asText()).isEqualTo("int64");
    assertThat(byName.get("name").path("optional").asBoolean()).isFalse();
    assertThat(byName.get("amount").path("name").asText())
        .isEqualTo("org.apache.kafka.connect.data.Decimal");
    assertThat(byName.get("amount").path("parameters").path("scale").asText()).isEqualTo("2");
    assertThat(byName.get("created").path("name").asText())
        .isEqualTo("org.apache.kafka.connect.data.Timestamp");
    assertThat(first.path("payload").path("created").asLong()).isEqualTo(1704103200000L);

    exec(db, "INSERT INTO " + db.q(t) + " (name) VALUES ('n6'), ('n7')");
    Await.until(WAIT, "7 rows", () -> json(topic, 7).size() >= 7);
    List<String> names = new ArrayList<>();
    json(topic, 7).forEach(r -> names.add(r.path("payload").path("name").asText()));
    assertThat(names).containsExactly("n1", "n2", "n3", "n4", "n5", "n6", "n7");
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void timestampIncrementingSourceSeesUpdates(Db db) throws Exception {
    String t = table(db, "id " + db.serial + ", name VARCHAR(40), updated " + db.timestamp
        + " NOT NULL");
    exec(db, "INSERT INTO " + db.q(t) + " (name, updated) VALUES "
        + "('a', '2024-01-01 00:00:00'), ('b', '2024-01-01 00:00:00')");
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("connector.class", "io.millrace.connect.jdbc.JdbcSourceConnector");
    cfg.put("connection.url", db.url);
    cfg.put("connection.user", db.user);
    cfg.put("mode", "timestamp+incrementing");
    cfg.put("incrementing.column.name", "id");
    cfg.put("timestamp.column.name", "updated");
    cfg.put("query", "SELECT * FROM " + db.q(t));
    cfg.put("topic.prefix", "jdbcq-" + t);
    cfg.put("poll.interval.ms", "200");
    Kafka.createTopic(broker.bootstrapServers(), "jdbcq-" + t, 1);
    assertThat(rest.post("/connectors", Map.of("name", "q-" + t, "config", cfg)).status())
        .isEqualTo(201);
    String topic = "jdbcq-" + t;
    Await.until(WAIT, "2 rows", () -> json(topic, 2).size() >= 2);
    exec(db, "UPDATE " + db.q(t) + " SET name = 'a2', updated = '2024-02-01 00:00:00' "
        + "WHERE name = 'a'");
    Await.until(WAIT, "the update", () -> json(topic, 3).size() >= 3);
    List<JsonNode> rows = json(topic, 3);
    assertThat(rows).hasSize(3);
    assertThat(rows.get(2).path("payload").path("name").asText()).isEqualTo("a2");
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void sinkUpsertsCreatesTablesAndDeletesOnTombstones(Db db) throws Exception {
    Kafka.requireGroups(broker.bootstrapServers());
    String t = "js_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    dropDb = db;
    dropTables.add(t);
    Kafka.createTopic(broker.bootstrapServers(), t, 1);
    String keySchema = "{\"type\":\"struct\",\"fields\":[{\"field\":\"id\",\"type\":\"int64\"}]}";
    String valueSchema = "{\"type\":\"struct\",\"fields\":[{\"field\":\"id\",\"type\":\"int64\"},"
        + "{\"field\":\"name\",\"type\":\"string\",\"optional\":true},"
        + "{\"field\":\"price\",\"type\":\"bytes\",\"name\":\"org.apache.kafka.connect.data.Decimal\","
        + "\"parameters\":{\"scale\":\"2\"}}]}";
    List<String[]> records = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      records.add(new String[] {key(keySchema, i), value(valueSchema, i, "v1-" + i)});
    }
    records.add(new String[] {key(keySchema, 3), value(valueSchema, 3, "v2-3")});
    records.add(new String[] {key(keySchema, 4), null});
    Kafka.produce(broker.bootstrapServers(), t, records);
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("connector.class", "JdbcSink");
    cfg.put("connection.url", db.url);
    cfg.put("connection.user", db.user);
    cfg.put("topics", t);
    cfg.put("insert.mode", "upsert");
    cfg.put("pk.mode", "record_key");
    cfg.put("auto.create", "true");
    cfg.put("delete.enabled", "true");
    assertThat(rest.post("/connectors", Map.of("name", "sink-" + t, "config", cfg)).status())
        .isEqualTo(201);
    Await.until(WAIT, "19 rows with the update applied", () -> {
      try (Connection c = db.connect(); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT COUNT(*), MAX(CASE WHEN id = 3 THEN name END)"
               + " FROM " + db.q(t))) {
        return rs.next() && rs.getInt(1) == 19 && "v2-3".equals(rs.getString(2));
      } catch (Exception e) {
        return false;
      }
    });
    try (Connection c = db.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT price FROM " + db.q(t) + " WHERE id = 7")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getBigDecimal(1)).isEqualByComparingTo("7.00");
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void bulkSourceCopiesTheWholeTable(Db db) throws Exception {
    String t = table(db, "id INT NOT NULL, name VARCHAR(10)");
    exec(db, "INSERT INTO " + db.q(t) + " VALUES (1, 'a'), (2, 'b'), (3, NULL)");
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("connector.class", "JdbcSource");
    cfg.put("connection.url", db.url);
    cfg.put("connection.user", db.user);
    cfg.put("mode", "bulk");
    cfg.put("table.whitelist", t);
    cfg.put("topic.prefix", "bulk-");
    cfg.put("poll.interval.ms", "600000");
    assertThat(rest.post("/connectors", Map.of("name", "bulk-" + t, "config", cfg)).status())
        .isEqualTo(201);
    Await.until(WAIT, "3 rows", () -> json("bulk-" + t, 3).size() >= 3);
    List<JsonNode> rows = json("bulk-" + t, 3);
    assertThat(rows).hasSize(3);
    assertThat(rows.get(2).path("payload").path("name").isNull()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void updateSinkChangesRowsByValueFields(Db db) throws Exception {
    Kafka.requireGroups(broker.bootstrapServers());
    String t = table(db, "id BIGINT PRIMARY KEY, name VARCHAR(20)");
    exec(db, "INSERT INTO " + db.q(t) + " VALUES (1, 'old'), (2, 'old'), (3, 'old')");
    Kafka.createTopic(broker.bootstrapServers(), t, 1);
    String schema = "{\"type\":\"struct\",\"fields\":[{\"field\":\"id\",\"type\":\"int64\"},"
        + "{\"field\":\"name\",\"type\":\"string\"}]}";
    Kafka.produce(broker.bootstrapServers(), t, List.<String[]>of(
        new String[] {null, "{\"schema\":" + schema + ",\"payload\":{\"id\":1,\"name\":\"new\"}}"},
        new String[] {null, "{\"schema\":" + schema + ",\"payload\":{\"id\":9,\"name\":\"x\"}}"}));
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("connector.class", "JdbcSink");
    cfg.put("connection.url", db.url);
    cfg.put("connection.user", db.user);
    cfg.put("topics", t);
    cfg.put("insert.mode", "update");
    cfg.put("pk.mode", "record_value");
    cfg.put("pk.fields", "id");
    assertThat(rest.post("/connectors", Map.of("name", "upd-" + t, "config", cfg)).status())
        .isEqualTo(201);
    Await.until(WAIT, "row 1 updated", () -> {
      try (Connection c = db.connect(); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT name FROM " + db.q(t) + " WHERE id = 1")) {
        return rs.next() && rs.getString(1).equals("new");
      } catch (Exception e) {
        return false;
      }
    });
    try (Connection c = db.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + db.q(t))) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(3);
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void invalidJdbcConfigsAreRefusedNamingTheKey(Db db) {
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("connector.class", "JdbcSource");
    cfg.put("connection.url", db.url);
    cfg.put("mode", "incrementing");
    cfg.put("topic.prefix", "x-");
    assertThat(rest.post("/connectors", Map.of("name", "bad", "config", cfg)).message())
        .contains("incrementing.column.name");
    cfg.put("connection.url", "jdbc:oracle:thin:@x");
    cfg.put("incrementing.column.name", "id");
    assertThat(rest.post("/connectors", Map.of("name", "bad", "config", cfg)).message())
        .contains("connection.url");
    Map<String, Object> sink = new LinkedHashMap<>();
    sink.put("connector.class", "JdbcSink");
    sink.put("connection.url", db.url);
    sink.put("topics", "t");
    sink.put("insert.mode", "upsert");
    assertThat(rest.post("/connectors", Map.of("name", "bad", "config", sink)).message())
        .contains("pk.mode");
    assertThat(rest.get("/connectors").body()).isEmpty();
  }

  private static String key(String schema, long id) {
    return "{\"schema\":" + schema + ",\"payload\":{\"id\":" + id + "}}";
  }

  private static String value(String schema, long id, String name) {
    // 700 (7.00 at scale 2) as big-endian two's complement, base64, per the Decimal logical type
    String price = java.util.Base64.getEncoder().encodeToString(
        java.math.BigInteger.valueOf(id * 100).toByteArray());
    return "{\"schema\":" + schema + ",\"payload\":{\"id\":" + id + ",\"name\":\"" + name
        + "\",\"price\":\"" + price + "\"}}";
  }
}
