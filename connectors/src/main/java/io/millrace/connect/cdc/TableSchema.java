package io.millrace.connect.cdc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/**
 * One captured table: its columns (in attribute order, as pgoutput sends them), its key
 * (primary key columns) and the Connect schemas of its records' key and value envelope.
 */
final class TableSchema {
  record Column(String name, int oid, int typmod, boolean key) {}

  final String schemaName;
  final String table;
  final String topic;
  final List<Column> columns;
  final Schema row;
  final Schema key;
  final Schema envelope;

  private TableSchema(String schemaName, String table, String topic, List<Column> columns) {
    this.schemaName = schemaName;
    this.table = table;
    this.topic = topic;
    this.columns = columns;
    SchemaBuilder rowB = SchemaBuilder.struct().name(topic + ".Value").optional();
    SchemaBuilder keyB = SchemaBuilder.struct().name(topic + ".Key");
    boolean hasKey = false;
    for (Column c : columns) {
      rowB.field(c.name(), PgTypes.schema(c.oid(), c.typmod()).optional().build());
      if (c.key()) {
        keyB.field(c.name(), PgTypes.schema(c.oid(), c.typmod()).build());
        hasKey = true;
      }
    }
    this.row = rowB.build();
    this.key = hasKey ? keyB.build() : null;
    this.envelope = SchemaBuilder.struct().name(topic + ".Envelope")
        .field("before", row)
        .field("after", row)
        .field("source", SOURCE)
        .field("op", Schema.STRING_SCHEMA)
        .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
        .build();
  }

  static final Schema SOURCE = SchemaBuilder.struct().name("io.millrace.connect.cdc.Source")
      .field("version", Schema.STRING_SCHEMA)
      .field("connector", Schema.STRING_SCHEMA)
      .field("name", Schema.STRING_SCHEMA)
      .field("db", Schema.STRING_SCHEMA)
      .field("schema", Schema.STRING_SCHEMA)
      .field("table", Schema.STRING_SCHEMA)
      .field("snapshot", Schema.STRING_SCHEMA)
      .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
      .field("txId", Schema.OPTIONAL_INT64_SCHEMA)
      .field("ts_ms", Schema.INT64_SCHEMA)
      .build();

  /** Reads a table's columns and primary key from the catalog. */
  static TableSchema load(Connection conn, String schemaName, String table, String topicPrefix)
      throws SQLException {
    String sql = "SELECT a.attname, a.atttypid, a.atttypmod, "
        + "COALESCE(a.attnum = ANY (SELECT unnest(i.indkey) FROM pg_index i "
        + "WHERE i.indrelid = a.attrelid AND i.indisprimary), false) AS pk "
        + "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        + "JOIN pg_namespace n ON n.oid = c.relnamespace "
        + "WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped "
        + "ORDER BY a.attnum";
    List<Column> cols = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      ps.setString(1, schemaName);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          cols.add(new Column(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getBoolean(4)));
        }
      }
    }
    if (cols.isEmpty()) {
      throw new SQLException("Table " + schemaName + "." + table + " does not exist", "42P01");
    }
    return new TableSchema(schemaName, table, topicPrefix + "." + schemaName + "." + table, cols);
  }

  /** A row struct from text values in column order (null entries stay null). */
  Struct row(List<String> values, List<Boolean> present) {
    Struct s = new Struct(row);
    for (int i = 0; i < columns.size() && i < values.size(); i++) {
      if (present == null || present.get(i)) {
        Column c = columns.get(i);
        s.put(c.name(), PgTypes.value(c.oid(), c.typmod(), values.get(i)));
      }
    }
    return s;
  }

  /** The key struct of a row image, or null when the table has no primary key. */
  Struct key(Struct image) {
    if (key == null || image == null) {
      return null;
    }
    Struct k = new Struct(key);
    for (Column c : columns) {
      if (c.key()) {
        k.put(c.name(), image.get(c.name()));
      }
    }
    return k;
  }
}
