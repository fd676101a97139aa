package io.millrace.connect.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database connection both JDBC connectors make: its keys, their checks, opening and
 * closing it. Blocking: call from task or herder threads only.
 */
final class Jdbc {
  private static final Logger LOG = LoggerFactory.getLogger(Jdbc.class);
  static final String URL = "connection.url";
  static final String USER = "connection.user";
  static final String PASSWORD = "connection.password";

  private Jdbc() {}

  /** Adds the connection keys to {@code def}. */
  static ConfigDef defineConnection(ConfigDef def) {
    return def
        .define(URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
            Importance.HIGH,
            "JDBC URL: jdbc:postgresql://..., jdbc:mariadb://... or jdbc:mysql://...")
        .define(USER, Type.STRING, null, Importance.HIGH, "Database user.")
        .define(PASSWORD, Type.PASSWORD, null, Importance.HIGH, "Database password.");
  }

  /** Adds an error to the URL's value when no dialect serves it. */
  static void checkUrl(Map<String, String> props, Map<String, ConfigValue> values) {
    String url = props.get(URL);
    if (url != null && !url.isBlank()) {
      try {
        Dialect.of(url);
      } catch (ConnectException e) {
        values.get(URL).addErrorMessage(e.getMessage());
      }
    }
  }

  /** Opens a connection with the config's URL, user and password. */
  static Connection connect(AbstractConfig config) {
    Password password = config.getPassword(PASSWORD);
    return connect(config.getString(URL), config.getString(USER),
        password == null ? null : password.value());
  }

  /** Closes {@code conn} if there is one; a failure to close is only logged. */
  static void closeQuietly(Connection conn) {
    if (conn != null) {
      try {
        conn.close();
      } catch (SQLException e) {
        LOG.debug("closing connection", e);
      }
    }
  }

  private static Connection connect(String url, String user, String password) {
    Properties p = new Properties();
    if (user != null) {
      p.setProperty("user", user);
    }
    if (password != null) {
      p.setProperty("password", password);
    }
    try {
      return DriverManager.getConnection(url, p);
    } catch (SQLException e) {
      throw new ConnectException("Cannot connect to " + url + ": " + e.getMessage(), e);
    }
  }

  /** True for failures worth retrying: lost connections, timeouts, deadlocks. */
  static boolean transientFailure(SQLException e) {
    String state = e.getSQLState();
    return e instanceof java.sql.SQLTransientException
        || e instanceof java.sql.SQLRecoverableException
        || (state != null && (state.startsWith("08") || state.equals("40001")
            || state.equals("40P01") || state.startsWith("57P")));
  }
}
