package io.millrace.connect.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Copies one table (or the custom query) in the connector's mode. One query per poll interval;
 * its rows are handed out {@code batch.max.rows} at a time, the result set staying open between
 * polls. Each record's source offset is the position after its row, so a restarted task
 * continues after the last row whose offset was committed.
 *
 * <pre>
 *   bulk                    SELECT * FROM t
 *   incrementing            ... WHERE inc > ? ORDER BY inc
 *   timestamp               ... WHERE ts > ? AND ts < ? ORDER BY ts
 *   timestamp+incrementing  ... WHERE ts < ? AND ((ts = ? AND inc > ?) OR ts > ?) ORDER BY ts, inc
 * </pre>
 *
 * Not thread-safe: used on its task's thread.
 */
final class TableQuerier {
  static final String INCREMENTING = "incrementing";
  static final String TIMESTAMP = "timestamp";
  static final String TIMESTAMP_NANOS = "timestamp_nanos";

  private final Dialect dialect;
  private final String mode;
  private final String table;
  private final String query;
  private final String topic;
  private final String incColumn;
  private final String tsColumn;
  private final long delayMs;
  private final Map<String, String> partition;
  private long lastIncrementing = -1;
  private Timestamp lastTimestamp = new Timestamp(0);
  private PreparedStatement statement;
  private ResultSet rows;
  private ColumnMapping mapping;
  private long nextRunMs;

  TableQuerier(Dialect dialect, JdbcSourceConfig config, String table, String query) {
    this.dialect = dialect;
    this.mode = config.mode();
    this.table = table;
    this.query = query;
    String prefix = config.getString(JdbcSourceConfig.TOPIC_PREFIX);
    this.topic = query != null ? prefix : prefix + table;
    this.incColumn = config.getString(JdbcSourceConfig.INCREMENTING_COLUMN).trim();
    this.tsColumn = config.getString(JdbcSourceConfig.TIMESTAMP_COLUMN).trim();
    this.delayMs = config.getLong(JdbcSourceConfig.TIMESTAMP_DELAY_MS);
    this.partition = query != null ? Map.of("query", "query") : Map.of("table", table);
  }

  Map<String, String> partition() {
    return partition;
  }

  /** Restores the position from a committed offset. */
  void restore(Map<String, Object> offset) {
    if (offset == null) {
      return;
    }
    if (offset.get(INCREMENTING) instanceof Number n) {
      lastIncrementing = n.longValue();
    }
    if (offset.get(TIMESTAMP) instanceof Number ms) {
      Timestamp t = new Timestamp(ms.longValue());
      if (offset.get(TIMESTAMP_NANOS) instanceof Number nanos) {
        t.setNanos(nanos.intValue());
      }
      lastTimestamp = t;
    }
  }

  long nextRunMs() {
    return rows != null ? 0 : nextRunMs;
  }

  boolean inProgress() {
    return rows != null;
  }

  /** Up to {@code max} records; starts a new query when none is open. */
  List<SourceRecord> poll(Connection conn, int max, long pollIntervalMs) throws SQLException {
    if (rows == null) {
      open(conn);
    }
    List<SourceRecord> out = new ArrayList<>();
    try {
      while (out.size() < max && rows.next()) {
        Struct row = mapping.read(rows);
        out.add(new SourceRecord(partition, advance(row), topic, null, null, null,
            mapping.schema(), row));
      }
      if (out.size() < max) {
        close();
        nextRunMs = System.currentTimeMillis() + pollIntervalMs;
      }
    } catch (SQLException e) {
      close();
      throw e;
    }
    return out;
  }

  private Map<String, Object> advance(Struct row) {
    Map<String, Object> offset = new HashMap<>();
    if (mode.equals(JdbcSourceConfig.INCREMENTING)
        || mode.equals(JdbcSourceConfig.TIMESTAMP_INCREMENTING)) {
      Object v = row.get(incColumn);
      if (v instanceof Number n) {
        lastIncrementing = n.longValue();
      } else if (v != null) {
        lastIncrementing = Long.parseLong(v.toString());
      }
      offset.put(INCREMENTING, lastIncrementing);
    }
    if (mode.equals(JdbcSourceConfig.TIMESTAMP)
        || mode.equals(JdbcSourceConfig.TIMESTAMP_INCREMENTING)) {
      Object v = row.get(tsColumn);
      if (v instanceof java.util.Date d) {
        lastTimestamp = new Timestamp(d.getTime());
      }
      offset.put(TIMESTAMP, lastTimestamp.getTime());
      offset.put(TIMESTAMP_NANOS, lastTimestamp.getNanos());
    }
    return mode.equals(JdbcSourceConfig.BULK) ? null : offset;
  }

  private void open(Connection conn) throws SQLException {
    String from = query != null ? "SELECT * FROM (" + query + ") q" : "SELECT * FROM "
        + dialect.quote(table);
    String inc = dialect.quote(incColumn);
    String ts = dialect.quote(tsColumn);
    Timestamp upper = new Timestamp(System.currentTimeMillis() - delayMs);
    String sql = switch (mode) {
      case JdbcSourceConfig.INCREMENTING -> from + " WHERE " + inc + " > ? ORDER BY " + inc;
      case JdbcSourceConfig.TIMESTAMP -> from + " WHERE " + ts + " > ? AND " + ts + " < ? ORDER BY "
          + ts;
      case JdbcSourceConfig.TIMESTAMP_INCREMENTING -> from + " WHERE " + ts + " < ? AND ((" + ts
          + " = ? AND " + inc + " > ?) OR " + ts + " > ?) ORDER BY " + ts + ", " + inc;
      default -> from;
    };
    statement = conn.prepareStatement(sql);
    statement.setFetchSize(1000);
    switch (mode) {
      case JdbcSourceConfig.INCREMENTING -> statement.setLong(1, lastIncrementing);
      case JdbcSourceConfig.TIMESTAMP -> {
        statement.setTimestamp(1, lastTimestamp, ColumnMapping.UTC);
        statement.setTimestamp(2, upper, ColumnMapping.UTC);
      }
      case JdbcSourceConfig.TIMESTAMP_INCREMENTING -> {
        statement.setTimestamp(1, upper, ColumnMapping.UTC);
        statement.setTimestamp(2, lastTimestamp, ColumnMapping.UTC);
        statement.setLong(3, lastIncrementing);
        statement.setTimestamp(4, lastTimestamp, ColumnMapping.UTC);
      }
      default -> { }
    }
    rows = statement.executeQuery();
    mapping = new ColumnMapping(query != null ? "query" : table, rows.getMetaData());
  }

  void close() {
    try {
      if (rows != null) {
        rows.close();
      }
      if (statement != null) {
        statement.close();
      }
    } catch (SQLException e) {
      // closing a broken statement: nothing more to do
    }
    rows = null;
    statement = null;
  }
}
