package io.millrace.connect.cdc;

import io.millrace.connect.Version;
import io.millrace.connect.cdc.PgOutputDecoder.Begin;
import io.millrace.connect.cdc.PgOutputDecoder.Change;
import io.millrace.connect.cdc.PgOutputDecoder.Commit;
import io.millrace.connect.cdc.PgOutputDecoder.Relation;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.postgresql.replication.ReplicationSlotInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshot, then stream. The snapshot reads every table in a REPEATABLE READ transaction set
 * to the snapshot the slot exported when it was created, so it and the stream meet exactly.
 * Changes stream as they arrive, {@code max.batch.size} per poll, without holding whole
 * transactions in memory.
 *
 * <p>Offset ({@code {"slot": S, "database": D}} partition): {@code lsn} (the commit LSN of the
 * record's transaction, known from its BEGIN), {@code event} (the record's index in it) and
 * {@code snapshot_completed}. Once the offsets of everything polled are committed, the slot is
 * confirmed up to the end of the last transaction seen whole, so the server resends only
 * transactions not wholly in Kafka; on restart, their events at or before the stored (lsn,
 * event) are skipped. A snapshot interrupted before completion is redone with a new slot.
 *
 * <p>All JDBC and replication calls run on the task's thread.
 */
public final class PostgresCdcSourceTask extends SourceTask {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresCdcSourceTask.class);
  private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

  private AbstractConfig config;
  private String url;
  private String slot;
  private String db;
  private String prefix;
  private Map<String, String> partition;
  private final Map<String, TableSchema> tables = new LinkedHashMap<>();
  private final Map<Integer, TableSchema> relations = new HashMap<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private Connection conn;
  private LogicalReplication replication;
  private PGReplicationStream stream;
  private Snapshot snapshot;
  private long skipLsn = -1;
  private int skipEvent = -1;
  private long lastConfirm;
  private volatile long toConfirm;
  private long polledConfirm;
  private Begin txn;
  private int txnEvent;

  /** The snapshot in progress: tables left, the open result set, the slot's start point. */
  private static final class Snapshot {
    final List<TableSchema> left;
    final long consistentLsn;
    Statement statement;
    ResultSet rows;
    TableSchema current;
    long emitted;

    Snapshot(List<TableSchema> left, long consistentLsn) {
      this.left = left;
      this.consistentLsn = consistentLsn;
    }
  }

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    config = new AbstractConfig(PostgresCdcSourceConnector.CONFIG, props);
    url = config.getString(PostgresCdcSourceConnector.URL);
    slot = config.getString(PostgresCdcSourceConnector.SLOT);
    prefix = config.getString(PostgresCdcSourceConnector.TOPIC_PREFIX);
    try {
      conn = DriverManager.getConnection(url, credentials());
      db = conn.getCatalog();
      partition = Map.of("slot", slot, "database", db);
      for (String t : config.getList(PostgresCdcSourceConnector.TABLES)) {
        String[] parts = t.contains(".") ? t.split("\\.", 2) : new String[] {"public", t};
        TableSchema ts = TableSchema.load(conn, parts[0], parts[1], prefix);
        tables.put(parts[0] + "." + parts[1], ts);
      }
      replication = new LogicalReplication(url, credentials(), conn, slot,
          config.getString(PostgresCdcSourceConnector.PUBLICATION));
      if (config.getBoolean(PostgresCdcSourceConnector.PUBLICATION_AUTOCREATE)) {
        replication.publish(tables.values());
      }
      Map<String, Object> offset = context.offsetStorageReader().offset(partition);
      boolean completed = offset != null && Boolean.TRUE.equals(offset.get("snapshot_completed"));
      if (offset != null && offset.get("lsn") instanceof Number lsn) {
        skipLsn = lsn.longValue();
        skipEvent = offset.get("event") instanceof Number e ? e.intValue() : -1;
      }
      long confirmed = 0; // the slot's own confirmed position is where streaming resumes
      boolean exists = replication.slotExists();
      boolean wantSnapshot = config.getString(PostgresCdcSourceConnector.SNAPSHOT_MODE)
          .equals("initial") && !completed;
      if (wantSnapshot) {
        if (exists) {
          LOG.info("Slot {} exists but the snapshot never completed: recreating it", slot);
          replication.dropSlot();
        }
        ReplicationSlotInfo info = replication.createSlot();
        startSnapshot(info);
        lastConfirm = info.getConsistentPoint().asLong();
      } else {
        if (!exists) {
          if (completed) {
            LOG.warn("Slot {} is gone; changes since it was lost cannot be recovered", slot);
          }
          lastConfirm = replication.createSlot().getConsistentPoint().asLong();
        } else {
          lastConfirm = confirmed;
        }
        startStream(lastConfirm);
      }
    } catch (SQLException e) {
      closeAll();
      throw new ConnectException("PostgreSQL change capture cannot start: " + e.getMessage(), e);
    }
  }

  private Properties credentials() {
    Properties p = new Properties();
    String user = config.getString(PostgresCdcSourceConnector.USER);
    Password pw = config.getPassword(PostgresCdcSourceConnector.PASSWORD);
    if (user != null) {
      p.setProperty("user", user);
    }
    if (pw != null) {
      p.setProperty("password", pw.value());
    }
    return p;
  }

  private void startSnapshot(ReplicationSlotInfo info) throws SQLException {
    conn.setAutoCommit(false);
    try (Statement st = conn.createStatement()) {
      st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
      st.execute("SET TRANSACTION SNAPSHOT '" + info.getSnapshotName().replace("'", "''") + "'");
    }
    snapshot = new Snapshot(new ArrayList<>(tables.values()),
        info.getConsistentPoint().asLong());
    LOG.info("Snapshot of {} tables at {}", tables.size(), info.getConsistentPoint());
  }

  private void startStream(long from) throws SQLException {
    stream = replication.stream(from);
  }

  @Override
  public List<SourceRecord> poll() throws InterruptedException {
    List<SourceRecord> out;
    synchronized (this) {
      if (stopped.getCount() == 0) {
        return null;
      }
      try {
        out = snapshot != null ? snapshotBatch() : streamBatch();
      } catch (SQLException e) {
        throw new ConnectException("PostgreSQL change capture failed: " + e.getMessage(), e);
      }
    }
    if (out.isEmpty()) {
      stopped.await(config.getLong(PostgresCdcSourceConnector.POLL_INTERVAL_MS),
          TimeUnit.MILLISECONDS);
      return null;
    }
    return out;
  }

  private List<SourceRecord> snapshotBatch() throws SQLException {
    int max = config.getInt(PostgresCdcSourceConnector.MAX_BATCH);
    List<SourceRecord> out = new ArrayList<>();
    while (out.size() < max) {
      if (snapshot.rows == null) {
        if (snapshot.left.isEmpty()) {
          finishSnapshot(out);
          return out;
        }
        snapshot.current = snapshot.left.remove(0);
        snapshot.statement = conn.createStatement();
        snapshot.statement.setFetchSize(1000);
        snapshot.rows = snapshot.statement.executeQuery("SELECT * FROM "
            + LogicalReplication.quote(snapshot.current.schemaName) + "."
            + LogicalReplication.quote(snapshot.current.table));
      }
      if (!snapshot.rows.next()) {
        snapshot.rows.close();
        snapshot.statement.close();
        snapshot.rows = null;
        continue;
      }
      TableSchema t = snapshot.current;
      List<String> values = new ArrayList<>();
      for (int i = 1; i <= t.columns.size(); i++) {
        values.add(snapshot.rows.getString(i));
      }
      Struct after = t.row(values, null);
      Map<String, Object> offset = new HashMap<>();
      offset.put("snapshot_completed", false);
      offset.put("lsn", snapshot.consistentLsn);
      offset.put("event", -1);
      snapshot.emitted++;
      out.add(record(t, 'r', null, after, offset, null, System.currentTimeMillis(), true));
    }
    return out;
  }

  /** Ends the snapshot transaction, marks the last record, and starts streaming. */
  private void finishSnapshot(List<SourceRecord> out) throws SQLException {
    conn.commit();
    conn.setAutoCommit(true);
    if (!out.isEmpty()) {
      SourceRecord last = out.remove(out.size() - 1);
      Map<String, Object> offset = new HashMap<>(castOffset(last.sourceOffset()));
      offset.put("snapshot_completed", true);
      out.add(new SourceRecord(partition, offset, last.topic(), null, last.keySchema(),
          last.key(), last.valueSchema(), last.value(), last.timestamp()));
    }
    LOG.info("Snapshot done: {} rows", snapshot.emitted);
    long from = snapshot.consistentLsn;
    snapshot = null;
    skipLsn = -1;
    startStream(from);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castOffset(Map<String, ?> m) {
    return (Map<String, Object>) m;
  }

  private List<SourceRecord> streamBatch() throws SQLException {
    maybeConfirm();
    int max = config.getInt(PostgresCdcSourceConnector.MAX_BATCH);
    List<SourceRecord> out = new ArrayList<>();
    while (out.size() < max) {
      ByteBuffer msg = stream.readPending();
      if (msg == null) {
        break;
      }
      PgOutputDecoder.Message m = PgOutputDecoder.decode(msg);
      if (m instanceof Begin b) {
        txn = b;
        txnEvent = 0;
      } else if (m instanceof Relation r) {
        TableSchema t = TableSchema.load(conn, r.namespace(), r.name(), prefix);
        relations.put(r.id(), t);
      } else if (m instanceof Change c && txn != null) {
        emit(c, txnEvent++, out);
      } else if (m instanceof Commit c) {
        polledConfirm = c.endLsn();
        txn = null;
      }
    }
    return out;
  }

  private void emit(Change c, int event, List<SourceRecord> out) {
    long lsn = txn.finalLsn();
    if (lsn < skipLsn || (lsn == skipLsn && event <= skipEvent)) {
      return; // in Kafka already, before the restart
    }
    TableSchema t = relations.get(c.relationId());
    if (t == null) {
      throw new ConnectException("Change for unknown relation " + c.relationId());
    }
    Map<String, Object> offset = new HashMap<>();
    offset.put("snapshot_completed", true);
    offset.put("lsn", lsn);
    offset.put("event", event);
    Struct before = c.before() == null ? null : t.row(c.before().values(), c.before().present());
    Struct after = c.after() == null ? null : t.row(c.after().values(), c.after().present());
    long tsMs = (txn.commitTsMicros() + PG_EPOCH_MICROS) / 1000;
    out.add(record(t, c.op(), before, after, offset, txn.xid(), tsMs, false));
  }

  private SourceRecord record(TableSchema t, char op, Struct before, Struct after,
      Map<String, Object> offset, Long xid, long tsMs, boolean snapshotRow) {
    Struct source = new Struct(TableSchema.SOURCE)
        .put("version", Version.get())
        .put("connector", "postgresql")
        .put("name", prefix)
        .put("db", db)
        .put("schema", t.schemaName)
        .put("table", t.table)
        .put("snapshot", snapshotRow ? "true" : "false")
        .put("lsn", offset.get("lsn"))
        .put("txId", xid)
        .put("ts_ms", tsMs);
    Struct value = new Struct(t.envelope).put("before", before).put("after", after)
        .put("source", source).put("op", String.valueOf(op))
        .put("ts_ms", System.currentTimeMillis());
    Struct key = t.key(after != null ? after : before);
    return new SourceRecord(partition, offset, t.topic, null, t.key, key, t.envelope, value,
        tsMs);
  }

  /** Tells the server it may discard WAL up to what Kafka has (set by {@link #commit}). */
  private void maybeConfirm() throws SQLException {
    long c = toConfirm;
    if (c > lastConfirm && stream != null) {
      LogSequenceNumber lsn = LogSequenceNumber.valueOf(c);
      stream.setFlushedLSN(lsn);
      stream.setAppliedLSN(lsn);
      stream.forceUpdateStatus();
      lastConfirm = c;
    }
  }

  /** Offsets of everything polled so far are durable: the slot may move up to them. */
  @Override
  public void commit() {
    if (snapshot == null) {
      toConfirm = Math.max(toConfirm, polledConfirm);
    }
  }

  @Override
  public void stop() {
    stopped.countDown();
    synchronized (this) {
      closeAll();
    }
  }

  private void closeAll() {
    try {
      if (stream != null) {
        maybeConfirm();
        stream.close();
      }
    } catch (SQLException e) {
      LOG.debug("closing replication stream", e);
    }
    if (replication != null) {
      replication.close();
    }
    try {
      if (conn != null) {
        conn.close();
      }
    } catch (SQLException e) {
      LOG.debug("closing connection", e);
    }
    stream = null;
    replication = null;
    conn = null;
  }
}
