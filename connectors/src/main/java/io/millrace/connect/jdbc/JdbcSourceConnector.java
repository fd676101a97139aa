package io.millrace.connect.jdbc;

import io.millrace.connect.builtin.BuiltInSourceConnector;
import io.millrace.connect.builtin.TaskSplit;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * Copies tables (or one query) of PostgreSQL or MariaDB into topics named {@code
 * topic.prefix + table}, one struct record per row, typed by the columns. Tables are spread
 * over up to {@code tasks.max} tasks. Modes: {@code bulk}, {@code incrementing}, {@code
 * timestamp}, {@code timestamp+incrementing} (see {@link TableQuerier}).
 */
public final class JdbcSourceConnector extends BuiltInSourceConnector {
  private List<String> tables;

  public JdbcSourceConnector() {
    super(JdbcSourceConfig.DEF, JdbcSourceTask.class, TaskSplit.SINGLE);
  }

  /** Checks the config, then finds the tables to copy (all of the schema's when none named). */
  @Override
  public void start(Map<String, String> props) {
    super.start(props);
    JdbcSourceConfig config = new JdbcSourceConfig(props);
    if (!config.query().isEmpty()) {
      tables = List.of();
      return;
    }
    tables = config.tables().isEmpty() ? discover(config) : config.tables();
  }

  private static List<String> discover(JdbcSourceConfig config) {
    try (Connection c = Jdbc.connect(config)) {
      DatabaseMetaData md = c.getMetaData();
      List<String> out = new ArrayList<>();
      try (ResultSet rs = md.getTables(c.getCatalog(), c.getSchema(), "%",
          new String[] {"TABLE"})) {
        while (rs.next()) {
          out.add(rs.getString("TABLE_NAME"));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new ConnectException("Cannot list the tables: " + e.getMessage(), e);
    }
  }

  /** A query runs in one task; tables are spread over up to {@code maxTasks} tasks. */
  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    if (tables.isEmpty()) {
      return new JdbcSourceConfig(props()).query().isEmpty() ? List.of()
          : super.taskConfigs(maxTasks);
    }
    int n = Math.min(maxTasks, tables.size());
    List<List<String>> groups = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      groups.add(new ArrayList<>());
    }
    for (int i = 0; i < tables.size(); i++) {
      groups.get(i % n).add(tables.get(i));
    }
    List<Map<String, String>> out = new ArrayList<>();
    for (List<String> g : groups) {
      Map<String, String> t = new HashMap<>(props());
      t.put(JdbcSourceConfig.TASK_TABLES, String.join(",", g));
      out.add(t);
    }
    return out;
  }

  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    Config c = super.validate(connectorConfigs);
    Map<String, ConfigValue> v = new HashMap<>();
    c.configValues().forEach(cv -> v.put(cv.name(), cv));
    String mode = connectorConfigs.getOrDefault(JdbcSourceConfig.MODE, "");
    boolean inc = mode.equals(JdbcSourceConfig.INCREMENTING)
        || mode.equals(JdbcSourceConfig.TIMESTAMP_INCREMENTING);
    boolean ts = mode.equals(JdbcSourceConfig.TIMESTAMP)
        || mode.equals(JdbcSourceConfig.TIMESTAMP_INCREMENTING);
    if (inc && blank(connectorConfigs.get(JdbcSourceConfig.INCREMENTING_COLUMN))) {
      v.get(JdbcSourceConfig.INCREMENTING_COLUMN).addErrorMessage(
          "Mode " + mode + " needs " + JdbcSourceConfig.INCREMENTING_COLUMN);
    }
    if (ts && blank(connectorConfigs.get(JdbcSourceConfig.TIMESTAMP_COLUMN))) {
      v.get(JdbcSourceConfig.TIMESTAMP_COLUMN).addErrorMessage(
          "Mode " + mode + " needs " + JdbcSourceConfig.TIMESTAMP_COLUMN);
    }
    if (!blank(connectorConfigs.get(JdbcSourceConfig.QUERY))
        && !blank(connectorConfigs.get(JdbcSourceConfig.TABLES))) {
      v.get(JdbcSourceConfig.QUERY).addErrorMessage("Set " + JdbcSourceConfig.QUERY + " or "
          + JdbcSourceConfig.TABLES + ", not both");
    }
    Jdbc.checkUrl(connectorConfigs, v);
    return c;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
