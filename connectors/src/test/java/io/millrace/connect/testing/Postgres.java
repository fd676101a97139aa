package io.millrace.connect.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The local PostgreSQL (127.0.0.1:5432, trust auth, database {@code test}), made ready for
 * logical replication when a test needs it: {@code wal_level=logical} (ALTER SYSTEM and a
 * restart) and a {@code host replication} line in pg_hba.conf (and a reload). Idempotent: does
 * nothing when both are in place already.
 */
public final class Postgres {
  public static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
  public static final String USER = "postgres";

  private Postgres() {}

  public static Connection connect() throws SQLException {
    return DriverManager.getConnection(URL, USER, "");
  }

  public static synchronized void ensureLogicalReplication() throws Exception {
    try (Connection c = connect(); Statement st = c.createStatement()) {
      Path hba = Path.of(show(st, "hba_file"));
      String text = Files.readString(hba);
      if (!text.matches("(?s).*\\nhost\\s+replication\\s+all\\s+127\\.0\\.0\\.1/32\\s+trust.*")) {
        Files.writeString(hba, "\nhost replication all 127.0.0.1/32 trust\n",
            StandardOpenOption.APPEND);
        st.execute("SELECT pg_reload_conf()");
      }
      if (show(st, "wal_level").equals("logical")) {
        return;
      }
      st.execute("ALTER SYSTEM SET wal_level = logical");
    }
    String version = show("server_version_num").substring(0, 2);
    Process p = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", version, "main",
        "restart").inheritIO().start();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("could not restart PostgreSQL " + version);
    }
    Await.until(Duration.ofSeconds(60), "PostgreSQL back with wal_level=logical", () -> {
      try {
        return show("wal_level").equals("logical");
      } catch (SQLException e) {
        return false;
      }
    });
  }

  private static String show(String setting) throws SQLException {
    try (Connection c = connect(); Statement st = c.createStatement()) {
      return show(st, setting);
    }
  }

  private static String show(Statement st, String setting) throws SQLException {
    try (ResultSet rs = st.executeQuery("SHOW " + setting)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
