package io.millrace.connect.jdbc;

import io.millrace.connect.Version;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Writes struct records to PostgreSQL or MariaDB tables: insert, upsert or update by a primary
 * key taken from the record key or value, tables created from the record schema when asked,
 * tombstones deleting rows when asked. Each {@code put} is one transaction of JDBC batches.
 */
public final class JdbcSinkConnector extends SinkConnector {
  private Map<String, String> props;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    new JdbcSinkConfig(props);
    this.props = props;
  }

  @Override
  public Class<? extends Task> taskClass() {
    return JdbcSinkTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Map<String, String>> out = new ArrayList<>();
    for (int i = 0; i < maxTasks; i++) {
      out.add(props);
    }
    return out;
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return JdbcSinkConfig.DEF;
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
    String url = cfg.get(JdbcSinkConfig.URL);
    if (url != null && !url.isBlank()) {
      try {
        Dialect.of(url);
      } catch (ConnectException e) {
        v.get(JdbcSinkConfig.URL).addErrorMessage(e.getMessage());
      }
    }
    return c;
  }
}
