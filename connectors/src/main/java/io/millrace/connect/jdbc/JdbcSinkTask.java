package io.millrace.connect.jdbc;

import io.millrace.connect.Version;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each {@code put} in one transaction. A passing failure (lost connection, deadlock)
 * rolls back and asks the runtime to redeliver, up to {@code max.retries} times. Any other
 * failure rolls back and writes the records one by one, each in its own transaction, so the
 * records at fault are reported through the errant record reporter (dead-letter topic, or a
 * failed task, as {@code errors.tolerance} says) and the others are written.
 */
public final class JdbcSinkTask extends SinkTask {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcSinkTask.class);

  private JdbcSinkConfig config;
  private RowWriter writer;
  private Connection conn;
  private int retriesLeft;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    config = new JdbcSinkConfig(props);
    writer = new RowWriter(config, Dialect.of(config.getString(JdbcSinkConfig.URL)));
    retriesLeft = config.getInt(JdbcSinkConfig.MAX_RETRIES);
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    List<RowWriter.Row> rows = new ArrayList<>();
    ErrantRecordReporter reporter = context.errantRecordReporter();
    for (SinkRecord r : records) {
      try {
        RowWriter.Row row = writer.toRow(r);
        if (row != null) {
          rows.add(row);
        }
      } catch (DataException e) {
        report(reporter, r, e);
      }
    }
    try {
      Connection c = connection();
      for (RowWriter.Row row : rows) {
        writer.maybeCreateTable(c, row);
      }
      writer.write(c, rows);
      c.commit();
      retriesLeft = config.getInt(JdbcSinkConfig.MAX_RETRIES);
    } catch (SQLException e) {
      rollbackQuietly();
      if (Jdbc.transientFailure(e) || conn == null) {
        retry(e);
        return;
      }
      LOG.warn("Batch of {} rows failed ({}); writing them one by one", rows.size(),
          e.getMessage());
      writeOneByOne(rows, reporter);
    }
  }

  private void retry(SQLException e) {
    closeConnection();
    if (retriesLeft-- <= 0) {
      throw new ConnectException("JDBC write failed after " + config.getInt(
          JdbcSinkConfig.MAX_RETRIES) + " retries: " + e.getMessage(), e);
    }
    context.timeout(config.getInt(JdbcSinkConfig.RETRY_BACKOFF_MS));
    throw new RetriableException("JDBC write failed, will retry: " + e.getMessage(), e);
  }

  private void writeOneByOne(List<RowWriter.Row> rows, ErrantRecordReporter reporter) {
    for (RowWriter.Row row : rows) {
      try {
        Connection c = connection();
        writer.maybeCreateTable(c, row);
        writer.write(c, List.of(row));
        c.commit();
      } catch (SQLException e) {
        rollbackQuietly();
        if (Jdbc.transientFailure(e)) {
          retry(e);
        }
        report(reporter, row.record(), e);
      }
    }
  }

  private void report(ErrantRecordReporter reporter, SinkRecord r, Exception e) {
    if (reporter == null) {
      throw new ConnectException("Cannot write record " + r.topic() + "-" + r.kafkaPartition()
          + "@" + r.kafkaOffset() + ": " + e.getMessage(), e);
    }
    try {
      reporter.report(r, e).get();
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new ConnectException("interrupted", ie);
    } catch (java.util.concurrent.ExecutionException ee) {
      throw new ConnectException("Cannot report record to the dead-letter queue", ee.getCause());
    }
  }

  private Connection connection() throws SQLException {
    if (conn == null || !conn.isValid(5)) {
      closeConnection();
      try {
        conn = Jdbc.connect(config);
      } catch (ConnectException e) {
        throw new java.sql.SQLTransientConnectionException(e.getMessage(), "08001", e);
      }
      conn.setAutoCommit(false);
    }
    return conn;
  }

  private void rollbackQuietly() {
    try {
      if (conn != null) {
        conn.rollback();
      }
    } catch (SQLException e) {
      closeConnection();
    }
  }

  private void closeConnection() {
    Jdbc.closeQuietly(conn);
    conn = null;
  }

  @Override
  public void stop() {
    closeConnection();
  }
}
