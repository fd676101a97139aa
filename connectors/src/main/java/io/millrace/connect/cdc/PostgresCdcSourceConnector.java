package io.millrace.connect.cdc;

import io.millrace.connect.builtin.BuiltInSourceConnector;
import io.millrace.connect.builtin.TaskSplit;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;

/**
 * Captures every insert, update and delete of chosen PostgreSQL tables through logical
 * replication (pgoutput, a publication and a replication slot), after an initial snapshot
 * consistent with the slot. Each change is a record on {@code topic.prefix.SCHEMA.TABLE}: key
 * the primary key, value an envelope {@code {before, after, source, op, ts_ms}} with op
 * {@code r} (snapshot), {@code c}, {@code u} or {@code d}. The server needs {@code
 * wal_level=logical}; full before images of updates need {@code REPLICA IDENTITY FULL}. The
 * slot is confirmed only up to committed offsets, so a restart loses no change. One task.
 */
public final class PostgresCdcSourceConnector extends BuiltInSourceConnector {
  static final String URL = "connection.url";
  static final String USER = "connection.user";
  static final String PASSWORD = "connection.password";
  static final String TABLES = "table.include.list";
  static final String TOPIC_PREFIX = "topic.prefix";
  static final String SLOT = "slot.name";
  static final String PUBLICATION = "publication.name";
  static final String PUBLICATION_AUTOCREATE = "publication.autocreate";
  static final String SNAPSHOT_MODE = "snapshot.mode";
  static final String MAX_BATCH = "max.batch.size";
  static final String POLL_INTERVAL_MS = "poll.interval.ms";

  static final ConfigDef CONFIG = new ConfigDef()
      .define(URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, (n, v) -> {
        if (v == null || !v.toString().startsWith("jdbc:postgresql:")) {
          throw new org.apache.kafka.common.config.ConfigException(n, v,
              "Must be a jdbc:postgresql:// URL");
        }
      }, Importance.HIGH, "JDBC URL of the database.")
      .define(USER, Type.STRING, null, Importance.HIGH,
          "User; needs the REPLICATION attribute (and to own the tables for the publication).")
      .define(PASSWORD, Type.PASSWORD, null, Importance.HIGH, "Password.")
      .define(TABLES, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString() {
        @Override
        public void ensureValid(String name, Object o) {
          if (((List<?>) o).isEmpty()) {
            throw new org.apache.kafka.common.config.ConfigException(name, o,
                "Name at least one table");
          }
        }
      }, Importance.HIGH, "Tables to capture: schema.table (or table, in public).")
      .define(TOPIC_PREFIX, Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
          new ConfigDef.NonEmptyString(), Importance.HIGH,
          "Topics are PREFIX.SCHEMA.TABLE.")
      .define(SLOT, Type.STRING, "millrace_cdc", Importance.MEDIUM,
          "Name of the replication slot (one per connector).")
      .define(PUBLICATION, Type.STRING, "millrace_cdc", Importance.MEDIUM,
          "Name of the publication.")
      .define(PUBLICATION_AUTOCREATE, Type.BOOLEAN, true, Importance.LOW,
          "Create the publication for the tables (or set its tables) at start.")
      .define(SNAPSHOT_MODE, Type.STRING, "initial", ValidString.in("initial", "never"),
          Importance.MEDIUM, "initial: copy the tables first (op r), consistently with the "
              + "slot; never: only changes from the slot's creation on.")
      .define(MAX_BATCH, Type.INT, 2048, Range.atLeast(1), Importance.LOW,
          "Most records returned by one poll.")
      .define(POLL_INTERVAL_MS, Type.LONG, 200L, Range.atLeast(1), Importance.LOW,
          "Wait between reads of the slot when it has nothing new.");

  public PostgresCdcSourceConnector() {
    super(CONFIG, PostgresCdcSourceTask.class, TaskSplit.SINGLE);
  }
}
