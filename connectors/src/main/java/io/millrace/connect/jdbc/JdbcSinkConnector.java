package io.millrace.connect.jdbc;

import io.millrace.connect.builtin.BuiltInSinkConnector;
import io.millrace.connect.builtin.TaskSplit;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;

/**
 * Writes struct records to PostgreSQL or MariaDB tables: insert, upsert or update by a primary
 * key taken from the record key or value, tables created from the record schema when asked,
 * tombstones deleting rows when asked. Each {@code put} is one transaction of JDBC batches.
 */
public final class JdbcSinkConnector extends BuiltInSinkConnector {
  public JdbcSinkConnector() {
    super(JdbcSinkConfig.DEF, JdbcSinkTask.class, TaskSplit.PER_MAX_TASKS);
  }

  @Override
  public Config validate(Map<String, String> cfg) {
    Config c = super.validate(cfg);
    Map<String, ConfigValue> v = new HashMap<>();
    c.configValues().forEach(cv -> v.put(cv.name(), cv));
    String insert = cfg.getOrDefault(JdbcSinkConfig.INSERT_MODE, "insert");
    String pk = cfg.getOrDefault(JdbcSinkConfig.PK_MODE, "none");
    if (!insert.equals("insert") && pk.equals("none")) {
      v.get(JdbcSinkConfig.PK_MODE).addErrorMessage("insert.mode=" + insert
          + " needs a primary key: set pk.mode");
    }
    if (Boolean.parseBoolean(cfg.getOrDefault(JdbcSinkConfig.DELETE_ENABLED, "false"))
        && !pk.equals("record_key")) {
      v.get(JdbcSinkConfig.DELETE_ENABLED).addErrorMessage(
          "delete.enabled=true needs pk.mode=record_key");
    }
    if (pk.equals("record_value") && cfg.getOrDefault(JdbcSinkConfig.PK_FIELDS, "").isBlank()) {
      v.get(JdbcSinkConfig.PK_FIELDS).addErrorMessage(
          "pk.mode=record_value needs pk.fields naming the key columns");
    }
    Jdbc.checkUrl(cfg, v);
    return c;
  }
}
