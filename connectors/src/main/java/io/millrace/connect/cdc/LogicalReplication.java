package io.millrace.connect.cdc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.postgresql.replication.ReplicationSlotInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of one connector's logical replication: its publication, its slot, and the
 * pgoutput stream from the slot. Catalog queries go through the task's SQL connection; the
 * slot is created and read through a replication connection this object owns.
 *
 * <p>Blocking and not thread-safe: used by the task's thread (and its stop, under the task's
 * lock).
 */
final class LogicalReplication implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogicalReplication.class);

  private final Connection sql;
  private final Connection replication;
  private final String slot;
  private final String publication;

  /** Opens the replication connection to {@code url} with the task's credentials. */
  LogicalReplication(String url, Properties credentials, Connection sql, String slot,
      String publication) throws SQLException {
    Properties p = new Properties();
    p.putAll(credentials);
    PGProperty.REPLICATION.set(p, "database");
    PGProperty.ASSUME_MIN_SERVER_VERSION.set(p, "10");
    PGProperty.PREFER_QUERY_MODE.set(p, "simple");
    this.replication = DriverManager.getConnection(url, p);
    this.sql = sql;
    this.slot = slot;
    this.publication = publication;
  }

  /** Creates the publication of {@code tables}, or makes an existing one publish exactly them. */
  void publish(Collection<TableSchema> tables) throws SQLException {
    List<String> names = new ArrayList<>();
    for (TableSchema t : tables) {
      names.add(quote(t.schemaName) + "." + quote(t.table));
    }
    boolean exists;
    try (PreparedStatement ps = sql.prepareStatement(
        "SELECT 1 FROM pg_publication WHERE pubname = ?")) {
      ps.setString(1, publication);
      try (ResultSet rs = ps.executeQuery()) {
        exists = rs.next();
      }
    }
    try (Statement st = sql.createStatement()) {
      st.execute((exists ? "ALTER PUBLICATION " + quote(publication) + " SET TABLE "
          : "CREATE PUBLICATION " + quote(publication) + " FOR TABLE ")
          + String.join(", ", names));
    }
  }

  boolean slotExists() throws SQLException {
    try (PreparedStatement ps = sql.prepareStatement(
        "SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
      ps.setString(1, slot);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  void dropSlot() throws SQLException {
    try (PreparedStatement ps = sql.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
      ps.setString(1, slot);
      ps.execute();
    }
  }

  /** Creates the slot (pgoutput); its consistent point and exported snapshot come back. */
  ReplicationSlotInfo createSlot() throws SQLException {
    ReplicationSlotInfo info = replication.unwrap(PGConnection.class).getReplicationAPI()
        .createReplicationSlot().logical().withSlotName(slot).withOutputPlugin("pgoutput")
        .make();
    LOG.info("Created replication slot {} at {}", slot, info.getConsistentPoint());
    return info;
  }

  /** Streams the publication's changes from the slot, starting at {@code fromLsn}. */
  PGReplicationStream stream(long fromLsn) throws SQLException {
    PGReplicationStream stream = replication.unwrap(PGConnection.class).getReplicationAPI()
        .replicationStream().logical().withSlotName(slot)
        .withStartPosition(LogSequenceNumber.valueOf(fromLsn))
        .withSlotOption("proto_version", "1")
        .withSlotOption("publication_names", publication)
        .withStatusInterval(10, TimeUnit.SECONDS)
        .start();
    LOG.info("Streaming changes from slot {} at {}", slot, LogSequenceNumber.valueOf(fromLsn));
    return stream;
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  @Override
  public void close() {
    try {
      replication.close();
    } catch (SQLException e) {
      LOG.debug("closing the replication connection", e);
    }
  }
}
