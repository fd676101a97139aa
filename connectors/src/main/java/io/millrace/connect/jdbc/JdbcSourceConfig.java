package io.millrace.connect.jdbc;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;

/** The JDBC source's keys, with the names Confluent's JDBC source connector uses. */
final class JdbcSourceConfig extends AbstractConfig {
  static final String URL = Jdbc.URL;
  static final String MODE = "mode";
  static final String TABLES = "table.whitelist";
  static final String QUERY = "query";
  static final String INCREMENTING_COLUMN = "incrementing.column.name";
  static final String TIMESTAMP_COLUMN = "timestamp.column.name";
  static final String POLL_INTERVAL_MS = "poll.interval.ms";
  static final String BATCH_MAX_ROWS = "batch.max.rows";
  static final String TOPIC_PREFIX = "topic.prefix";
  static final String TIMESTAMP_DELAY_MS = "timestamp.delay.interval.ms";
  /** Set by the connector in task configs: the tables of one task. */
  static final String TASK_TABLES = "tables";

  static final String BULK = "bulk";
  static final String INCREMENTING = "incrementing";
  static final String TIMESTAMP = "timestamp";
  static final String TIMESTAMP_INCREMENTING = "timestamp+incrementing";

  static final ConfigDef DEF = Jdbc.defineConnection(new ConfigDef())
      .define(MODE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
          ValidString.in(BULK, INCREMENTING, TIMESTAMP, TIMESTAMP_INCREMENTING), Importance.HIGH,
          "bulk: the whole table every poll. incrementing: new rows by a strictly increasing "
              + "column. timestamp: new and changed rows by a timestamp column. "
              + "timestamp+incrementing: both, which is exact even when timestamps tie.")
      .define(TABLES, Type.LIST, "", Importance.HIGH,
          "Tables to copy (schema.table or table); empty with no query means every table of "
              + "the connection's schema.")
      .define(QUERY, Type.STRING, "", Importance.MEDIUM,
          "A custom query to copy instead of tables (the mode's condition is added around it).")
      .define(INCREMENTING_COLUMN, Type.STRING, "", Importance.MEDIUM,
          "The strictly increasing column (incrementing modes).")
      .define(TIMESTAMP_COLUMN, Type.STRING, "", Importance.MEDIUM,
          "The last-modified timestamp column (timestamp modes).")
      .define(POLL_INTERVAL_MS, Type.INT, 5000, Range.atLeast(1), Importance.HIGH,
          "How often each table is queried for new rows.")
      .define(BATCH_MAX_ROWS, Type.INT, 100, Range.atLeast(1), Importance.LOW,
          "Most rows returned by one poll.")
      .define(TOPIC_PREFIX, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
          "Prefix of the topics: PREFIX + table name, or the whole topic name for a query.")
      .define(TIMESTAMP_DELAY_MS, Type.LONG, 0L, Range.atLeast(0), Importance.LOW,
          "Rows younger than this are left for a later poll, so transactions that commit late "
              + "with an earlier timestamp are not missed.")
      .defineInternal(TASK_TABLES, Type.LIST, "", Importance.LOW);

  JdbcSourceConfig(Map<String, String> props) {
    super(DEF, props);
  }

  String mode() {
    return getString(MODE);
  }

  String query() {
    return getString(QUERY).trim();
  }

  List<String> tables() {
    return getList(TABLES);
  }

}
