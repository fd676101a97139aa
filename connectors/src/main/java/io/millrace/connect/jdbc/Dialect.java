package io.millrace.connect.jdbc;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * What differs between the databases the JDBC connectors speak: identifier quoting, upsert
 * syntax and column types for tables created from a record schema.
 */
enum Dialect {
  POSTGRESQL("\"") {
    @Override
    String upsert(String table, java.util.List<String> cols, java.util.List<String> keys) {
      StringBuilder sb = new StringBuilder(insert(table, cols)).append(" ON CONFLICT (")
          .append(join(keys)).append(") DO ");
      java.util.List<String> rest = nonKeys(cols, keys);
      if (rest.isEmpty()) {
        return sb.append("NOTHING").toString();
      }
      sb.append("UPDATE SET ");
      for (int i = 0; i < rest.size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(quote(rest.get(i))).append(" = EXCLUDED.")
            .append(quote(rest.get(i)));
      }
      return sb.toString();
    }

    @Override
    String type(Schema s, boolean key) {
      if (s.name() != null) {
        switch (s.name()) {
          case Decimal.LOGICAL_NAME: return "NUMERIC";
          case Date.LOGICAL_NAME: return "DATE";
          case Time.LOGICAL_NAME: return "TIME";
          case Timestamp.LOGICAL_NAME: return "TIMESTAMP";
          default: break;
        }
      }
      return switch (s.type()) {
        case INT8, INT16 -> "SMALLINT";
        case INT32 -> "INT";
        case INT64 -> "BIGINT";
        case FLOAT32 -> "REAL";
        case FLOAT64 -> "DOUBLE PRECISION";
        case BOOLEAN -> "BOOLEAN";
        case STRING -> "TEXT";
        case BYTES -> "BYTEA";
        default -> throw new ConnectException("No PostgreSQL type for " + s.type());
      };
    }
  },
  MARIADB("`") {
    @Override
    String upsert(String table, java.util.List<String> cols, java.util.List<String> keys) {
      StringBuilder sb = new StringBuilder(insert(table, cols)).append(" ON DUPLICATE KEY UPDATE ");
      java.util.List<String> rest = nonKeys(cols, keys);
      java.util.List<String> set = rest.isEmpty() ? keys : rest;
      for (int i = 0; i < set.size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(quote(set.get(i))).append(" = VALUES(")
            .append(quote(set.get(i))).append(")");
      }
      return sb.toString();
    }

    @Override
    String type(Schema s, boolean key) {
      if (s.name() != null) {
        switch (s.name()) {
          case Decimal.LOGICAL_NAME:
            return "DECIMAL(65," + s.parameters().getOrDefault(Decimal.SCALE_FIELD, "0") + ")";
          case Date.LOGICAL_NAME: return "DATE";
          case Time.LOGICAL_NAME: return "TIME(3)";
          case Timestamp.LOGICAL_NAME: return "DATETIME(3)";
          default: break;
        }
      }
      return switch (s.type()) {
        case INT8 -> "TINYINT";
        case INT16 -> "SMALLINT";
        case INT32 -> "INT";
        case INT64 -> "BIGINT";
        case FLOAT32 -> "FLOAT";
        case FLOAT64 -> "DOUBLE";
        case BOOLEAN -> "BOOLEAN";
        case STRING -> key ? "VARCHAR(255)" : "TEXT";
        case BYTES -> key ? "VARBINARY(255)" : "BLOB";
        default -> throw new ConnectException("No MariaDB type for " + s.type());
      };
    }
  };

  private final String quote;

  Dialect(String quote) {
    this.quote = quote;
  }

  static Dialect of(String url) {
    if (url.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
      return MARIADB;
    }
    throw new ConnectException("Unsupported JDBC URL " + url
        + ": jdbc:postgresql:, jdbc:mariadb: or jdbc:mysql:");
  }

  /** Quotes an identifier; {@code schema.table} becomes two quoted parts. */
  String quote(String identifier) {
    StringBuilder sb = new StringBuilder();
    String[] parts = identifier.split("\\.");
    for (int i = 0; i < parts.length; i++) {
      sb.append(i == 0 ? "" : ".").append(quote)
          .append(parts[i].replace(quote, quote + quote)).append(quote);
    }
    return sb.toString();
  }

  String insert(String table, java.util.List<String> cols) {
    return "INSERT INTO " + quote(table) + " (" + join(cols) + ") VALUES ("
        + String.join(", ", java.util.Collections.nCopies(cols.size(), "?")) + ")";
  }

  String update(String table, java.util.List<String> cols, java.util.List<String> keys) {
    StringBuilder sb = new StringBuilder("UPDATE ").append(quote(table)).append(" SET ");
    java.util.List<String> rest = nonKeys(cols, keys);
    for (int i = 0; i < rest.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(quote(rest.get(i))).append(" = ?");
    }
    return sb.append(where(keys)).toString();
  }

  String delete(String table, java.util.List<String> keys) {
    return "DELETE FROM " + quote(table) + where(keys);
  }

  String where(java.util.List<String> keys) {
    StringBuilder sb = new StringBuilder(" WHERE ");
    for (int i = 0; i < keys.size(); i++) {
      sb.append(i == 0 ? "" : " AND ").append(quote(keys.get(i))).append(" = ?");
    }
    return sb.toString();
  }

  abstract String upsert(String table, java.util.List<String> cols, java.util.List<String> keys);

  /** The column type of a field; {@code key} columns need a bounded type on MariaDB. */
  abstract String type(Schema s, boolean key);

  String join(java.util.List<String> cols) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cols.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(quote(cols.get(i)));
    }
    return sb.toString();
  }

  static java.util.List<String> nonKeys(java.util.List<String> cols, java.util.List<String> keys) {
    return cols.stream().filter(c -> !keys.contains(c)).toList();
  }
}
