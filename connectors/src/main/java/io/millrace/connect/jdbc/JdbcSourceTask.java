package io.millrace.connect.jdbc;

import io.millrace.connect.Version;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls its tables in turn on the task's thread (JDBC blocks; this is a worker thread, never
 * an event loop). A lost connection is reopened on the next poll.
 */
public final class JdbcSourceTask extends SourceTask {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcSourceTask.class);

  private JdbcSourceConfig config;
  private Dialect dialect;
  private final List<TableQuerier> queriers = new ArrayList<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private Connection conn;
  private int next;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    config = new JdbcSourceConfig(props);
    dialect = Dialect.of(config.getString(JdbcSourceConfig.URL));
    if (!config.query().isEmpty()) {
      queriers.add(new TableQuerier(dialect, config, null, config.query()));
    } else {
      for (String t : config.getList(JdbcSourceConfig.TASK_TABLES)) {
        queriers.add(new TableQuerier(dialect, config, t, null));
      }
    }
    for (TableQuerier q : queriers) {
      q.restore(context.offsetStorageReader().offset(q.partition()));
    }
    LOG.info("JDBC source task copying {} in {} mode", config.query().isEmpty()
        ? config.getList(JdbcSourceConfig.TASK_TABLES) : "a query", config.mode());
  }

  @Override
  public List<SourceRecord> poll() throws InterruptedException {
    if (queriers.isEmpty()) {
      stopped.await(config.getInt(JdbcSourceConfig.POLL_INTERVAL_MS), TimeUnit.MILLISECONDS);
      return null;
    }
    TableQuerier q = pick();
    long wait = q.nextRunMs() - System.currentTimeMillis();
    if (wait > 0) {
      stopped.await(wait, TimeUnit.MILLISECONDS);
      return null;
    }
    return query(q);
  }

  private synchronized List<SourceRecord> query(TableQuerier q) {
    if (stopped.getCount() == 0) {
      return null;
    }
    try {
      if (conn == null || !conn.isValid(5)) {
        closeConnection();
        conn = Jdbc.connect(config);
        // PostgreSQL streams a result set with a cursor only inside a transaction; otherwise
        // it would hold a whole bulk table in memory.
        conn.setAutoCommit(dialect != Dialect.POSTGRESQL);
      }
      List<SourceRecord> out = q.poll(conn, config.getInt(JdbcSourceConfig.BATCH_MAX_ROWS),
          config.getInt(JdbcSourceConfig.POLL_INTERVAL_MS));
      if (!q.inProgress()) {
        next++;
        if (!conn.getAutoCommit()) {
          conn.commit();
        }
      }
      return out;
    } catch (SQLException e) {
      closeConnection();
      if (Jdbc.transientFailure(e)) {
        throw new RetriableException("JDBC query failed: " + e.getMessage(), e);
      }
      throw new ConnectException("JDBC query failed: " + e.getMessage(), e);
    } catch (ConnectException e) {
      closeConnection();
      throw new RetriableException(e.getMessage(), e);
    }
  }

  /** The querier in progress, else the one due first (round robin among ties). */
  private TableQuerier pick() {
    TableQuerier best = null;
    for (int i = 0; i < queriers.size(); i++) {
      TableQuerier q = queriers.get((next + i) % queriers.size());
      if (q.inProgress()) {
        return q;
      }
      if (best == null || q.nextRunMs() < best.nextRunMs()) {
        best = q;
      }
    }
    next = queriers.indexOf(best);
    return best;
  }

  private void closeConnection() {
    queriers.forEach(TableQuerier::close);
    Jdbc.closeQuietly(conn);
    conn = null;
  }

  /** Wakes a waiting poll, waits for a running query to finish, closes the connection. */
  @Override
  public void stop() {
    stopped.countDown();
    synchronized (this) {
      closeConnection();
    }
  }
}
