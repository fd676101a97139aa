package io.millrace.engine.broker;

import io.millrace.engine.log.LogAppendInfo;
import io.millrace.engine.log.PartitionLog;
import io.millrace.engine.metrics.PartitionMetrics;
import io.vertx.core.Future;
import io.vertx.core.internal.ContextInternal;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.FencedLeaderEpochException;
import org.apache.kafka.common.errors.UnknownLeaderEpochException;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * A partition this broker leads: its log, and the event-loop context that owns it.
 *
 * <p>Threading: every mutation of the log (append, high watermark, DeleteRecords, config) runs
 * on the owner context, so the log has exactly one writer and no caller takes a lock; callers on
 * other loops get a future back. Reads ({@link #log()}'s read and offset getters) are safe from
 * any thread. Waiters for new data ({@link #awaitNewData}) are woken on the owner context after
 * the high watermark moves.
 */
public final class HostedPartition {

  private final TopicPartition topicPartition;
  private final Uuid topicId;
  private final PartitionLog log;
  private final ContextInternal owner;
  private final PartitionMetrics metrics;
  private volatile int leaderEpoch;
  /** Woken once when the high watermark moves; null once closed. Guarded by {@code this}. */
  private Set<Runnable> waiters = new LinkedHashSet<>();

  HostedPartition(TopicPartition topicPartition, Uuid topicId, PartitionLog log, ContextInternal owner,
      int leaderEpoch, PartitionMetrics metrics) {
    this.topicPartition = topicPartition;
    this.topicId = topicId;
    this.log = log;
    this.owner = owner;
    this.leaderEpoch = leaderEpoch;
    this.metrics = metrics;
  }

  public TopicPartition topicPartition() {
    return topicPartition;
  }

  public Uuid topicId() {
    return topicId;
  }

  public PartitionLog log() {
    return log;
  }

  /** The partition's series: produce and fetch paths record their bytes here. */
  public PartitionMetrics metrics() {
    return metrics;
  }

  public int leaderEpoch() {
    return leaderEpoch;
  }

  void leaderEpoch(int epoch) {
    this.leaderEpoch = epoch;
  }

  /**
   * Checks a client's idea of the leader epoch (-1: the client does not know it).
   *
   * @throws FencedLeaderEpochException the client's epoch is older than the leader's
   * @throws UnknownLeaderEpochException the client's epoch is newer than what this broker knows
   */
  public void checkLeaderEpoch(int clientEpoch) {
    int current = leaderEpoch;
    if (clientEpoch < 0 || clientEpoch == current) {
      return;
    }
    if (clientEpoch < current) {
      throw new FencedLeaderEpochException("Epoch " + clientEpoch + " of " + topicPartition
          + " is older than the current leader epoch " + current);
    }
    throw new UnknownLeaderEpochException("Epoch " + clientEpoch + " of " + topicPartition
        + " is newer than the current leader epoch " + current);
  }

  /**
   * Appends a producer's records as the leader. On a single node the append is committed at once
   * (the ISR is this broker), so the high watermark moves to the log end and waiting fetches wake.
   * The records are not used after the future completes.
   */
  public Future<LogAppendInfo> appendAsLeader(MemoryRecords records) {
    return onOwner(() -> {
      LogAppendInfo info = log.appendAsLeader(records, leaderEpoch);
      maybeIncrementHighWatermark();
      return info;
    });
  }

  /** Raises the log start offset; -1 means the high watermark. Returns the new log start offset. */
  public Future<Long> deleteRecordsBefore(long offset) {
    return onOwner(() -> log.deleteRecordsBefore(offset == -1 ? log.highWatermark() : offset));
  }

  /** Runs {@code task} on the owner context. */
  public <T> Future<T> onOwner(Callable<T> task) {
    if (owner.nettyEventLoop().inEventLoop()) {
      try {
        return Future.succeededFuture(task.call());
      } catch (Exception e) {
        return Future.failedFuture(e);
      }
    }
    io.vertx.core.Promise<T> promise = io.vertx.core.Promise.promise();
    owner.runOnContext(v -> {
      try {
        promise.complete(task.call());
      } catch (Exception e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }

  /** Moves the high watermark to the log end (every replica of a single node is in sync). Owner only. */
  void maybeIncrementHighWatermark() {
    long before = log.highWatermark();
    log.updateHighWatermark(log.logEndOffset());
    if (log.highWatermark() != before) {
      wakeWaiters();
    }
  }

  /**
   * Runs {@code waiter} once, on the owner context, after the high watermark next moves (or the
   * partition goes away). Thread-safe.
   *
   * @return cancels the wait (a fetch answered by its timer must not stay registered)
   */
  public Runnable awaitNewData(Runnable waiter) {
    synchronized (this) {
      if (waiters != null) {
        waiters.add(waiter);
        return () -> {
          synchronized (this) {
            if (waiters != null) {
              waiters.remove(waiter);
            }
          }
        };
      }
    }
    waiter.run();
    return () -> { };
  }

  /** True once the partition is no longer hosted here: waiters are woken at once and must not wait again. */
  public boolean isClosed() {
    synchronized (this) {
      return waiters == null;
    }
  }

  /** Waiters registered now (for tests). */
  synchronized int waiterCount() {
    return waiters == null ? 0 : waiters.size();
  }

  /** Wakes every waiter and refuses new ones: the partition is no longer hosted here. */
  void close() {
    metrics.close();
    Set<Runnable> woken;
    synchronized (this) {
      woken = waiters;
      waiters = null;
    }
    if (woken != null) {
      woken.forEach(Runnable::run);
    }
  }

  private void wakeWaiters() {
    Set<Runnable> woken;
    synchronized (this) {
      if (waiters == null || waiters.isEmpty()) {
        return;
      }
      woken = waiters;
      waiters = new LinkedHashSet<>();
    }
    woken.forEach(Runnable::run);
  }

  @Override
  public String toString() {
    return topicPartition + " (topic id " + topicId + ", leader epoch " + leaderEpoch + ")";
  }
}
