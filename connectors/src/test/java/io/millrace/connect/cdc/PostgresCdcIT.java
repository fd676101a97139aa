package io.millrace.connect.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.connect.ConnectWorker;
import io.millrace.connect.testing.Await;
import io.millrace.connect.testing.Kafka;
import io.millrace.connect.testing.Postgres;
import io.millrace.connect.testing.Rest;
import io.millrace.connect.testing.TestBroker;
import io.millrace.connect.testing.WorkerProps;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PostgreSQL change capture through logical replication (pgoutput) and a real broker. */
class PostgresCdcIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static TestBroker broker;
  @TempDir Path dir;
  private final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private final String table = "cdc_" + id;
  private final String slot = "slot_" + id;
  private final String publication = "pub_" + id;

  @BeforeAll
  static void setUp() throws Exception {
    Postgres.ensureLogicalReplication();
    broker = TestBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @AfterEach
  void dropEverything() throws Exception {
    try (Connection c = Postgres.connect(); Statement st = c.createStatement()) {
      Await.until(WAIT, "slot released", () -> {
        try (Statement s = c.createStatement(); var rs = s.executeQuery(
            "SELECT active FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
          return !rs.next() || !rs.getBoolean(1);
        } catch (Exception e) {
          return false;
        }
      });
      st.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
          + "WHERE slot_name = '" + slot + "'");
      st.execute("DROP PUBLICATION IF EXISTS " + publication);
      st.execute("DROP TABLE IF EXISTS " + table);
    }
  }

  private ConnectWorker worker() {
    return ConnectWorker.start(WorkerProps.standalone(broker.bootstrapServers(),
        dir.resolve("state")));
  }

  private static void exec(String sql) throws Exception {
    try (Connection c = Postgres.connect(); Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private List<JsonNode> changes(String topic, int n) {
    List<JsonNode> out = new ArrayList<>();
    for (String v : Kafka.values(Kafka.consume(broker.bootstrapServers(), topic, n,
        Duration.ofSeconds(2)))) {
      try {
        out.add(Rest.JSON.readTree(v).path("payload"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }

  @Test
  void snapshotThenEveryChangeAndNoLossAcrossARestart() throws Exception {
    createTableOfThreeRows();
    String topic = "pg." + "public." + table;
    Kafka.createTopic(broker.bootstrapServers(), topic, 1); // one partition: order is checked
    try (ConnectWorker w = worker()) {
      Rest rest = new Rest("http://127.0.0.1:" + w.restPort());
      assertThat(rest.post("/connectors", Map.of("name", "cdc", "config", cdcConfig())).status())
          .isEqualTo(201);
      Await.until(WAIT, "snapshot of 3 rows", () -> changes(topic, 3).size() >= 3);
      exec("INSERT INTO " + table + " (name, amount) VALUES ('new', 9.99)");
      exec("UPDATE " + table + " SET name = 'changed' WHERE name = 'snap-2'");
      exec("DELETE FROM " + table + " WHERE name = 'snap-3'");
      Await.until(WAIT, "3 changes", () -> changes(topic, 6).size() >= 6);
      assertSnapshotThenInsertUpdateDelete(changes(topic, 6));
      exec("INSERT INTO " + table + " (name) SELECT 'bulk-' || g FROM generate_series(1, 5) g");
      Await.until(WAIT, "a 5-row transaction", () -> changes(topic, 11).size() >= 11);
      assertThat(changes(topic, 11).subList(6, 11)).extracting(c -> c.path("after")
          .path("name").asText()).containsExactly("bulk-1", "bulk-2", "bulk-3", "bulk-4",
          "bulk-5");
    }
    exec("INSERT INTO " + table + " (name) VALUES ('while-down-1'), ('while-down-2')");
    try (ConnectWorker w = worker()) {
      Await.until(WAIT, "changes made while stopped", () -> changes(topic, 13).stream()
          .filter(c -> c.path("after").path("name").asText().startsWith("while-down"))
          .count() >= 2);
      List<JsonNode> all = changes(topic, 13);
      assertThat(all.stream().filter(c -> c.path("op").asText().equals("r")).count())
          .isEqualTo(3);
      assertThat(all.stream().filter(c -> c.path("after").path("name").asText()
          .startsWith("bulk-")).count()).isEqualTo(5); // nothing sent twice across the restart
      new Rest("http://127.0.0.1:" + w.restPort()).delete("/connectors/cdc");
    }
  }

  private void createTableOfThreeRows() throws Exception {
    exec("CREATE TABLE " + table + " (id SERIAL PRIMARY KEY, name TEXT NOT NULL, "
        + "amount NUMERIC(8,2), at TIMESTAMP)");
    exec("ALTER TABLE " + table + " REPLICA IDENTITY FULL");
    try (Connection c = Postgres.connect(); PreparedStatement ps = c.prepareStatement(
        "INSERT INTO " + table + " (name, amount, at) VALUES (?, ?, '2024-03-01 12:00:00')")) {
      for (int i = 1; i <= 3; i++) {
        ps.setString(1, "snap-" + i);
        ps.setBigDecimal(2, new java.math.BigDecimal(i + ".50"));
        ps.executeUpdate();
      }
    }
  }

  private Map<String, Object> cdcConfig() {
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("connector.class", "PostgresCdcSource");
    cfg.put("connection.url", Postgres.URL);
    cfg.put("connection.user", Postgres.USER);
    cfg.put("table.include.list", "public." + table);
    cfg.put("topic.prefix", "pg");
    cfg.put("slot.name", slot);
    cfg.put("publication.name", publication);
    cfg.put("max.batch.size", "2"); // transactions larger than a poll stream across polls
    return cfg;
  }

  private void assertSnapshotThenInsertUpdateDelete(List<JsonNode> all) {
    assertThat(all.subList(0, 3)).allMatch(c -> c.path("op").asText().equals("r"));
    assertThat(all.get(0).path("after").path("amount").asText()).isNotEmpty();
    assertThat(all.get(0).path("after").path("at").asLong()).isEqualTo(1709294400000L);
    JsonNode insert = all.get(3);
    JsonNode update = all.get(4);
    JsonNode delete = all.get(5);
    assertThat(insert.path("op").asText()).isEqualTo("c");
    assertThat(insert.path("after").path("name").asText()).isEqualTo("new");
    assertThat(update.path("op").asText()).isEqualTo("u");
    assertThat(update.path("before").path("name").asText()).isEqualTo("snap-2");
    assertThat(update.path("after").path("name").asText()).isEqualTo("changed");
    assertThat(delete.path("op").asText()).isEqualTo("d");
    assertThat(delete.path("before").path("name").asText()).isEqualTo("snap-3");
    assertThat(delete.path("after").isNull()).isTrue();
    assertThat(delete.path("source").path("table").asText()).isEqualTo(table);
    assertThat(delete.path("source").path("lsn").asLong()).isPositive();
  }
}
