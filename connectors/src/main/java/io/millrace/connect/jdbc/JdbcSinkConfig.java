package io.millrace.connect.jdbc;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;

/** The JDBC sink's keys, with the names Confluent's JDBC sink connector uses. */
final class JdbcSinkConfig extends AbstractConfig {
  static final String URL = Jdbc.URL;
  static final String INSERT_MODE = "insert.mode";
  static final String PK_MODE = "pk.mode";
  static final String PK_FIELDS = "pk.fields";
  static final String AUTO_CREATE = "auto.create";
  static final String DELETE_ENABLED = "delete.enabled";
  static final String TABLE_FORMAT = "table.name.format";
  static final String BATCH_SIZE = "batch.size";
  static final String MAX_RETRIES = "max.retries";
  static final String RETRY_BACKOFF_MS = "retry.backoff.ms";

  static final ConfigDef DEF = Jdbc.defineConnection(new ConfigDef())
      .define(INSERT_MODE, Type.STRING, "insert", ValidString.in("insert", "upsert", "update"),
          Importance.HIGH, "insert: INSERT every record. upsert: insert or replace by primary "
              + "key. update: UPDATE the row with the record's primary key.")
      .define(PK_MODE, Type.STRING, "none",
          ValidString.in("none", "record_key", "record_value", "kafka"), Importance.HIGH,
          "Where the primary key comes from: none, the record key (a struct, or a primitive "
              + "named by pk.fields), fields of the record value, or the record's Kafka "
              + "coordinates (__connect_topic, __connect_partition, __connect_offset).")
      .define(PK_FIELDS, Type.LIST, "", Importance.MEDIUM,
          "Primary key columns: the fields to use (all of a struct key when empty).")
      .define(AUTO_CREATE, Type.BOOLEAN, false, Importance.MEDIUM,
          "Create a missing table from the record schema (CREATE TABLE with the primary key).")
      .define(DELETE_ENABLED, Type.BOOLEAN, false, Importance.MEDIUM,
          "Delete the row of a tombstone (null value); needs pk.mode=record_key.")
      .define(TABLE_FORMAT, Type.STRING, "${topic}", Importance.MEDIUM,
          "Table name; ${topic} is replaced by the record's topic.")
      .define(BATCH_SIZE, Type.INT, 3000, Range.atLeast(1), Importance.MEDIUM,
          "Most rows in one JDBC batch; a put's batches share one transaction.")
      .define(MAX_RETRIES, Type.INT, 10, Range.atLeast(0), Importance.MEDIUM,
          "How often a write that failed for a passing reason (lost connection, deadlock) is "
              + "retried before the task fails.")
      .define(RETRY_BACKOFF_MS, Type.INT, 1000, Range.atLeast(0), Importance.LOW,
          "Wait before such a retry.");

  JdbcSinkConfig(Map<String, String> props) {
    super(DEF, props);
  }


  List<String> pkFields() {
    return getList(PK_FIELDS);
  }
}
