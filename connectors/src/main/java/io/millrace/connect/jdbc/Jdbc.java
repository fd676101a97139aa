package io.millrace.connect.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.apache.kafka.connect.errors.ConnectException;

/** Opens JDBC connections. Blocking: call from task or herder threads only. */
final class Jdbc {
  private Jdbc() {}

  static Connection connect(String url, String user, String password) {
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
