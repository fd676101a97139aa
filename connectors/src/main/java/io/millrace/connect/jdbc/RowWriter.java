package io.millrace.connect.jdbc;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Turns sink records into SQL statements and runs them in batches on one connection. Records
 * that share a table and statement are batched together; a change of table or statement (an
 * upsert after a delete, say) flushes the batch first, so the order of records is kept.
 * Not thread-safe: one per task.
 */
final class RowWriter {
  /** One record's statement and parameters. */
  record Row(String table, String sql, List<Object> values, List<Schema> schemas,
      SinkRecord record) {}

  private final JdbcSinkConfig config;
  private final Dialect dialect;
  private final Set<String> knownTables = new HashSet<>();

  RowWriter(JdbcSinkConfig config, Dialect dialect) {
    this.config = config;
    this.dialect = dialect;
  }

  /** The statement of a record, or null when it is a tombstone to skip. */
  Row toRow(SinkRecord r) {
    String table = config.getString(JdbcSinkConfig.TABLE_FORMAT).replace("${topic}", r.topic());
    Map<String, Object[]> keys = keyColumns(r);
    if (r.value() == null) {
      if (!config.getBoolean(JdbcSinkConfig.DELETE_ENABLED)) {
        return null;
      }
      List<String> cols = new ArrayList<>(keys.keySet());
      return row(table, dialect.delete(table, cols), keys, cols, r);
    }
    if (!(r.value() instanceof Struct value)) {
      throw new DataException("The JDBC sink needs struct values with a schema (for instance "
          + "JsonConverter with schemas.enable=true); got " + r.value().getClass().getSimpleName()
          + " in " + r.topic() + "-" + r.kafkaPartition() + "@" + r.kafkaOffset());
    }
    Map<String, Object[]> all = new LinkedHashMap<>(keys);
    for (Field f : value.schema().fields()) {
      if (!all.containsKey(f.name())) {
        all.put(f.name(), new Object[] {value.get(f), f.schema()});
      }
    }
    List<String> cols = new ArrayList<>(all.keySet());
    List<String> keyCols = new ArrayList<>(keys.keySet());
    return switch (config.getString(JdbcSinkConfig.INSERT_MODE)) {
      case "upsert" -> row(table, dialect.upsert(table, cols, keyCols), all, cols, r);
      case "update" -> {
        List<String> order = new ArrayList<>(Dialect.nonKeys(cols, keyCols));
        order.addAll(keyCols);
        yield row(table, dialect.update(table, cols, keyCols), all, order, r);
      }
      default -> row(table, dialect.insert(table, cols), all, cols, r);
    };
  }

  private Row row(String table, String sql, Map<String, Object[]> cols, List<String> order,
      SinkRecord r) {
    List<Object> values = new ArrayList<>();
    List<Schema> schemas = new ArrayList<>();
    for (String c : order) {
      values.add(cols.get(c)[0]);
      schemas.add((Schema) cols.get(c)[1]);
    }
    return new Row(table, sql, values, schemas, r);
  }

  /** Primary key columns in order: name → {value, schema}. */
  private Map<String, Object[]> keyColumns(SinkRecord r) {
    Map<String, Object[]> out = new LinkedHashMap<>();
    List<String> fields = config.pkFields();
    switch (config.getString(JdbcSinkConfig.PK_MODE)) {
      case "record_key" -> {
        if (r.key() instanceof Struct k) {
          for (Field f : k.schema().fields()) {
            if (fields.isEmpty() || fields.contains(f.name())) {
              out.put(f.name(), new Object[] {k.get(f), f.schema()});
            }
          }
        } else if (r.key() != null && fields.size() == 1) {
          Schema s = r.keySchema() != null ? r.keySchema() : inferSchema(r.key());
          out.put(fields.get(0), new Object[] {r.key(), s});
        } else {
          throw new DataException("pk.mode=record_key needs a struct key, or a primitive key "
              + "and one pk.fields name; record " + r.topic() + "-" + r.kafkaPartition() + "@"
              + r.kafkaOffset() + " has key " + r.key());
        }
      }
      case "record_value" -> {
        if (!(r.value() instanceof Struct v)) {
          if (r.value() == null) {
            throw new DataException("pk.mode=record_value cannot delete by a tombstone");
          }
          throw new DataException("pk.mode=record_value needs struct values");
        }
        for (String name : fields) {
          Field f = v.schema().field(name);
          if (f == null) {
            throw new DataException("pk.fields names " + name + ", which the value of "
                + r.topic() + " does not have");
          }
          out.put(name, new Object[] {v.get(f), f.schema()});
        }
      }
      case "kafka" -> {
        out.put("__connect_topic", new Object[] {r.topic(), Schema.STRING_SCHEMA});
        out.put("__connect_partition", new Object[] {r.kafkaPartition(), Schema.INT32_SCHEMA});
        out.put("__connect_offset", new Object[] {r.kafkaOffset(), Schema.INT64_SCHEMA});
      }
      default -> { }
    }
    return out;
  }

  private static Schema inferSchema(Object v) {
    if (v instanceof Long) {
      return Schema.INT64_SCHEMA;
    } else if (v instanceof Integer) {
      return Schema.INT32_SCHEMA;
    }
    return Schema.STRING_SCHEMA;
  }

  /** Creates the table of a record from its schema if asked and missing. */
  void maybeCreateTable(Connection conn, Row row) throws SQLException {
    if (!config.getBoolean(JdbcSinkConfig.AUTO_CREATE) || knownTables.contains(row.table())
        || row.record().value() == null) {
      return;
    }
    if (!tableExists(conn, row.table())) {
      Map<String, Object[]> keys = keyColumns(row.record());
      Struct value = (Struct) row.record().value();
      StringBuilder sql = new StringBuilder("CREATE TABLE ").append(dialect.quote(row.table()))
          .append(" (");
      List<String> cols = new ArrayList<>();
      for (Map.Entry<String, Object[]> k : keys.entrySet()) {
        Schema s = (Schema) k.getValue()[1];
        cols.add(dialect.quote(k.getKey()) + " " + dialect.type(s, true) + " NOT NULL");
      }
      for (Field f : value.schema().fields()) {
        if (!keys.containsKey(f.name())) {
          cols.add(dialect.quote(f.name()) + " " + dialect.type(f.schema(), false)
              + (f.schema().isOptional() ? "" : " NOT NULL"));
        }
      }
      sql.append(String.join(", ", cols));
      if (!keys.isEmpty()) {
        sql.append(", PRIMARY KEY (").append(dialect.join(new ArrayList<>(keys.keySet())))
            .append(")");
      }
      sql.append(")");
      try (Statement st = conn.createStatement()) {
        st.execute(sql.toString());
      }
      conn.commit();
    }
    knownTables.add(row.table());
  }

  private boolean tableExists(Connection conn, String table) throws SQLException {
    DatabaseMetaData md = conn.getMetaData();
    String schema = null;
    String name = table;
    int dot = table.indexOf('.');
    if (dot > 0) {
      schema = table.substring(0, dot);
      name = table.substring(dot + 1);
    }
    boolean maria = dialect == Dialect.MARIADB;
    try (ResultSet rs = md.getTables(maria ? (schema != null ? schema : conn.getCatalog()) : null,
        maria ? null : (schema != null ? schema : conn.getSchema()), name, null)) {
      return rs.next();
    }
  }

  /** Runs the rows in order, batching consecutive rows with the same statement. */
  void write(Connection conn, List<Row> rows) throws SQLException {
    int batch = config.getInt(JdbcSinkConfig.BATCH_SIZE);
    int i = 0;
    while (i < rows.size()) {
      Row first = rows.get(i);
      try (PreparedStatement ps = conn.prepareStatement(first.sql())) {
        int n = 0;
        while (i < rows.size() && rows.get(i).sql().equals(first.sql()) && n < batch) {
          bind(ps, rows.get(i));
          ps.addBatch();
          i++;
          n++;
        }
        ps.executeBatch();
      }
    }
  }

  private static void bind(PreparedStatement ps, Row row) throws SQLException {
    for (int p = 0; p < row.values().size(); p++) {
      set(ps, p + 1, row.values().get(p), row.schemas().get(p));
    }
  }

  static void set(PreparedStatement ps, int i, Object v, Schema s) throws SQLException {
    String logical = s == null ? null : s.name();
    if (v == null) {
      ps.setNull(i, sqlType(s));
      return;
    }
    if (Decimal.LOGICAL_NAME.equals(logical)) {
      ps.setBigDecimal(i, (BigDecimal) v);
    } else if (Date.LOGICAL_NAME.equals(logical)) {
      ps.setDate(i, new java.sql.Date(((java.util.Date) v).getTime()), ColumnMapping.UTC);
    } else if (Time.LOGICAL_NAME.equals(logical)) {
      ps.setTime(i, new java.sql.Time(((java.util.Date) v).getTime()), ColumnMapping.UTC);
    } else if (Timestamp.LOGICAL_NAME.equals(logical)) {
      ps.setTimestamp(i, new java.sql.Timestamp(((java.util.Date) v).getTime()),
          ColumnMapping.UTC);
    } else if (v instanceof ByteBuffer b) {
      byte[] bytes = new byte[b.remaining()];
      b.duplicate().get(bytes);
      ps.setBytes(i, bytes);
    } else if (v instanceof byte[] b) {
      ps.setBytes(i, b);
    } else if (v instanceof Struct || v instanceof Map || v instanceof List) {
      throw new DataException("Cannot write a nested " + s.type() + " to a column");
    } else {
      ps.setObject(i, v);
    }
  }

  private static int sqlType(Schema s) {
    if (s == null) {
      return Types.VARCHAR;
    }
    if (s.name() != null) {
      switch (s.name()) {
        case Decimal.LOGICAL_NAME: return Types.NUMERIC;
        case Date.LOGICAL_NAME: return Types.DATE;
        case Time.LOGICAL_NAME: return Types.TIME;
        case Timestamp.LOGICAL_NAME: return Types.TIMESTAMP;
        default: break;
      }
    }
    return switch (s.type()) {
      case INT8 -> Types.TINYINT;
      case INT16 -> Types.SMALLINT;
      case INT32 -> Types.INTEGER;
      case INT64 -> Types.BIGINT;
      case FLOAT32 -> Types.REAL;
      case FLOAT64 -> Types.DOUBLE;
      case BOOLEAN -> Types.BOOLEAN;
      case BYTES -> Types.BINARY;
      default -> Types.VARCHAR;
    };
  }
}
