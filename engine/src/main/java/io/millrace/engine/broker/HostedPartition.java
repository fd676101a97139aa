package io.millrace.engine.broker;

import io.millrace.engine.log.LogAppendInfo;
import io.millrace.engine.log.PartitionLog;
import io.millrace.engine.metadata.PartitionImage;
import io.millrace.engine.metadata.ReplicaChanges;
import io.millrace.engine.metrics.PartitionMetrics;
import io.millrace.engine.replication.AcksWaiters;
import io.millrace.engine.replication.IsrProposer;
import io.millrace.engine.replication.LeaderState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.FencedLeaderEpochException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownLeaderEpochException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica of a partition hosted on this broker: its log, its role (leader or follower, from the
 * committed metadata), and the event-loop context that owns it.
 *
 * <pre>
 *   FOLLOWER (leader id, epoch; -1: no leader) --image: leader = this broker--&gt; LEADER (epoch)
 *        ^                                                                      |
 *        +----------------image: another leader or a newer epoch----------------+
 * </pre>
 *
 * As leader it takes appends, tracks its followers ({@link LeaderState}), moves the high
 * watermark to the smallest log end offset of the ISR, answers acks=all appends when the high
 * watermark passes them, and asks the controller to shrink or grow the ISR; it never changes the
 * ISR itself, so a leader cut off from the controller cannot shrink it to acknowledge alone. As
 * follower it appends what the fetcher brings from the leader and takes the leader's high
 * watermark.
 *
 * <p>Threading: every change of the log or the role (appends, truncation, high watermark,
 * DeleteRecords, config, images) runs on the owner context, so the log has exactly one writer;
 * callers on other loops get a future back. Reads ({@link #log()}'s read and offset getters) and
 * the role getters are safe from any thread. Waiters for new data are woken on the owner context.
 */
public final class HostedPartition {

  private static final Logger LOG = LoggerFactory.getLogger(HostedPartition.class);
  private static final long ISR_RETRY_BACKOFF_MS = 1000;

  /** What this replica is now. */
  public enum Role { LEADER, FOLLOWER }

  /** What the replication of this partition needs from the broker. */
  public record Replication(int nodeId, IsrProposer isrProposer, LongSupplier clockMs, long replicaLagTimeMaxMs) {}

  private final TopicPartition topicPartition;
  private final Uuid topicId;
  private final PartitionLog log;
  private final ContextInternal owner;
  private final PartitionMetrics metrics;
  private final Replication replication;
  private volatile Role role = Role.FOLLOWER;
  private volatile int leaderId = -1;
  private volatile int leaderEpoch = -1;
  private volatile int partitionEpoch = -1;
  private volatile List<Integer> replicas = List.of();
  private volatile List<Integer> isr = List.of();
  // owner context only
  private LeaderState leaderState;
  private final AcksWaiters acks = new AcksWaiters();
  private long epochStartOffset;
  /** No ISR change is proposed before this time after one was refused (the follower is not live yet). */
  private long proposeNotBeforeMs;
  /** Woken once when the high watermark moves (consumers); null once closed. Guarded by {@code this}. */
  private Set<Runnable> waiters = new LinkedHashSet<>();
  /** Woken once when the log end moves (followers' fetches). Guarded by {@code this}. */
  private Set<Runnable> appendWaiters = new LinkedHashSet<>();

  HostedPartition(TopicPartition topicPartition, Uuid topicId, PartitionLog log, ContextInternal owner,
      PartitionMetrics metrics, Replication replication) {
    this.topicPartition = topicPartition;
    this.topicId = topicId;
    this.log = log;
    this.owner = owner;
    this.metrics = metrics;
    this.replication = replication;
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

  public Role role() {
    return role;
  }

  public boolean isLeader() {
    return role == Role.LEADER;
  }

  /** The leader's broker id (this broker's when leading), or -1. */
  public int leaderId() {
    return leaderId;
  }

  public int leaderEpoch() {
    return leaderEpoch;
  }

  public int partitionEpoch() {
    return partitionEpoch;
  }

  public List<Integer> isr() {
    return isr;
  }

  public List<Integer> replicas() {
    return replicas;
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

  // ---------------------------------------------------------------- roles

  /**
   * Takes the partition's state from a committed image. Owner context.
   *
   * @return true if this broker is now a follower of a new leader or epoch (the fetcher must
   *     truncate, then fetch from it)
   */
  boolean applyImage(PartitionImage p) {
    replicas = p.replicas();
    if (p.leader() == replication.nodeId()) {
      if (role != Role.LEADER || leaderEpoch != p.leaderEpoch()) {
        becomeLeader(p);
      } else if (p.partitionEpoch() > partitionEpoch) {
        partitionEpoch = p.partitionEpoch();
        isr = p.isr();
        leaderState.committed(p.isr(), p.partitionEpoch());
        maybeIncrementHighWatermark();
      }
      return false;
    }
    boolean newLeader = role != Role.FOLLOWER || leaderEpoch != p.leaderEpoch() || leaderId != p.leader();
    if (newLeader) {
      becomeFollower(p);
    } else {
      partitionEpoch = p.partitionEpoch();
      isr = p.isr();
    }
    return newLeader && p.leader() >= 0;
  }

  private void becomeLeader(PartitionImage p) {
    long now = replication.clockMs().getAsLong();
    leaderEpoch = p.leaderEpoch();
    partitionEpoch = p.partitionEpoch();
    isr = p.isr();
    leaderId = replication.nodeId();
    epochStartOffset = log.logEndOffset();
    var latest = log.leaderEpochs().latestEpoch();
    if (latest.isEmpty() || latest.getAsInt() < leaderEpoch) {
      log.leaderEpochs().assign(leaderEpoch, epochStartOffset);
    }
    leaderState = new LeaderState(replication.nodeId(), p.replicas(), p.isr(), p.partitionEpoch(), now);
    role = Role.LEADER;
    // One line per partition at DEBUG; HostedPartitions logs each image's changes in one INFO line.
    LOG.debug("Broker {} leads {} at epoch {} from offset {} (high watermark {}, ISR {})", replication.nodeId(),
        topicPartition, leaderEpoch, epochStartOffset, log.highWatermark(), isr);
    maybeIncrementHighWatermark();
    wakeAll();
  }

  private void becomeFollower(PartitionImage p) {
    boolean wasLeader = role == Role.LEADER;
    role = Role.FOLLOWER;
    leaderId = p.leader();
    leaderEpoch = p.leaderEpoch();
    partitionEpoch = p.partitionEpoch();
    isr = p.isr();
    leaderState = null;
    acks.failAll(new NotLeaderOrFollowerException("Leadership of " + topicPartition + " moved to broker "
        + p.leader() + " (epoch " + p.leaderEpoch() + ") before the append was replicated"));
    if (wasLeader || p.leader() < 0) {
      LOG.debug("Broker {} follows {} at epoch {} (leader {})", replication.nodeId(), topicPartition, leaderEpoch,
          p.leader() < 0 ? "none" : p.leader());
    }
    wakeAll();
  }

  // ---------------------------------------------------------------- leader

  /** An append that answers at once (acks=1, and the broker's own writes that do not wait). */
  public Future<LogAppendInfo> appendAsLeader(MemoryRecords records) {
    return appendAsLeader(records, (short) 1, 0);
  }

  /**
   * Appends a producer's records as the leader. With {@code requiredAcks} -1 the future completes
   * when the high watermark passes the records (NOT_ENOUGH_REPLICAS before appending if the ISR
   * is smaller than {@code min.insync.replicas}, NOT_ENOUGH_REPLICAS_AFTER_APPEND if it shrank
   * below it meanwhile, REQUEST_TIMED_OUT after {@code timeoutMs}, NOT_LEADER_OR_FOLLOWER if the
   * leadership moved); otherwise when the records are in the log. The records are not used
   * after the future completes.
   */
  public Future<LogAppendInfo> appendAsLeader(MemoryRecords records, short requiredAcks, long timeoutMs) {
    return onOwner(() -> {
      if (role != Role.LEADER) {
        throw new NotLeaderOrFollowerException("Broker " + replication.nodeId() + " is not the leader of "
            + topicPartition + " (leader " + leaderId + ")");
      }
      int minIsr = log.config().minInSyncReplicas();
      if (requiredAcks == -1 && isr.size() < minIsr) {
        throw new NotEnoughReplicasException("The ISR of " + topicPartition + " is " + isr
            + ", fewer than min.insync.replicas=" + minIsr);
      }
      LogAppendInfo info = log.appendAsLeader(records, leaderEpoch);
      wakeAppendWaiters();
      maybeIncrementHighWatermark();
      long required = info.lastOffset() + 1;
      if (requiredAcks != -1 || log.highWatermark() >= required) {
        if (requiredAcks == -1 && isr.size() < minIsr) {
          throw new org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException("The ISR of "
              + topicPartition + " shrank below min.insync.replicas=" + minIsr);
        }
        return Future.succeededFuture(info);
      }
      Promise<LogAppendInfo> done = Promise.promise();
      acks.add(required, info, done);
      long timer = owner.owner().setTimer(Math.max(1, timeoutMs), t -> {
        acks.remove(done);
        done.tryFail(new TimeoutException("Records of " + topicPartition + " up to offset " + info.lastOffset()
            + " were not replicated to the ISR " + isr + " within " + timeoutMs + " ms"));
      });
      return done.future().andThen(ar -> owner.owner().cancelTimer(timer));
    }).compose(f -> f);
  }

  /**
   * A follower fetched from {@code fetchOffset}: track it, maybe grow the ISR, maybe move the high
   * watermark. Owner context; ignored unless leading at {@code fetchLeaderEpoch}.
   */
  public void onFollowerFetch(int replicaId, long fetchOffset, int fetchLeaderEpoch) {
    onOwner(() -> {
      // Only a fetch made for this very leadership counts: its offset is a prefix of this log.
      if (role != Role.LEADER || fetchLeaderEpoch != leaderEpoch) {
        return null;
      }
      long now = replication.clockMs().getAsLong();
      leaderState.onFollowerFetch(replicaId, fetchOffset, log.logEndOffset(), now);
      maybeIncrementHighWatermark();
      leaderState.expand(log.highWatermark(), epochStartOffset, now, replication.replicaLagTimeMaxMs())
          .ifPresent(this::proposeIsr);
      return null;
    });
  }

  /** Whether {@code replicaId} is a follower of this partition (leader only). */
  public boolean isFollower(int replicaId) {
    return replicas.contains(replicaId) && replicaId != replication.nodeId();
  }

  /** Asks the controller to drop followers that lag too long. Owner context (a periodic task). */
  void maybeShrinkIsr() {
    if (role != Role.LEADER) {
      return;
    }
    leaderState.shrink(replication.clockMs().getAsLong(), replication.replicaLagTimeMaxMs()).ifPresent(this::proposeIsr);
  }

  private void proposeIsr(List<Integer> newIsr) {
    long now = replication.clockMs().getAsLong();
    if (now < proposeNotBeforeMs) {
      return;
    }
    int epoch = leaderEpoch;
    leaderState.proposed(newIsr);
    LOG.info("{}: asking the controller to change the ISR from {} to {} (leader epoch {}, partition epoch {})",
        topicPartition, isr, newIsr, epoch, partitionEpoch);
    LeaderState proposer = leaderState;
    replication.isrProposer().propose(new ReplicaChanges.IsrChange(topicPartition, replication.nodeId(), epoch,
        partitionEpoch, newIsr)).onComplete(ar -> onOwner(() -> {
          if (leaderState != proposer) {
            return null;
          }
          if (ar.succeeded() && ar.result().error() == Errors.NONE && ar.result().partition() != null) {
            PartitionImage p = ar.result().partition();
            if (p.leaderEpoch() == leaderEpoch && p.partitionEpoch() >= partitionEpoch) {
              partitionEpoch = p.partitionEpoch();
              isr = p.isr();
              leaderState.committed(p.isr(), p.partitionEpoch());
              maybeIncrementHighWatermark();
            }
          } else {
            leaderState.proposalFailed();
            proposeNotBeforeMs = replication.clockMs().getAsLong() + ISR_RETRY_BACKOFF_MS;
            LOG.info("{}: the controller did not change the ISR to {}: {}", topicPartition, newIsr,
                ar.failed() ? ar.cause().getMessage() : ar.result().error());
          }
          return null;
        }));
  }

  /** Moves the high watermark to what the ISR holds; completes acks=all appends it passes. Owner only. */
  void maybeIncrementHighWatermark() {
    if (role != Role.LEADER) {
      return;
    }
    long candidate = leaderState.highWatermarkCandidate(log.logEndOffset());
    long before = log.highWatermark();
    if (candidate > before) {
      log.updateHighWatermark(candidate);
    }
    if (log.highWatermark() != before) {
      wakeWaiters();
    }
    acks.completeUpTo(log.highWatermark(), isr.size(), log.config().minInSyncReplicas());
  }

  // ---------------------------------------------------------------- follower

  /**
   * Appends records fetched from the leader at {@code fetchedEpoch}, then takes the leader's high
   * watermark (up to the own log end) and log start offset. Owner context. Does nothing (returns
   * false) when this replica no longer follows at that epoch.
   */
  public boolean appendAsFollower(MemoryRecords records, int fetchedEpoch, long leaderHighWatermark,
      long leaderLogStartOffset) {
    if (role != Role.FOLLOWER || leaderEpoch != fetchedEpoch) {
      return false;
    }
    if (records.sizeInBytes() > 0) {
      log.appendAsFollower(records);
    }
    long hw = Math.min(leaderHighWatermark, log.logEndOffset());
    if (hw > log.highWatermark()) {
      log.updateHighWatermark(hw);
    }
    if (leaderLogStartOffset > log.logStartOffset() && leaderLogStartOffset <= log.highWatermark()) {
      log.deleteRecordsBefore(leaderLogStartOffset);
    }
    return true;
  }

  /** Whether this replica follows at {@code epoch} (owner context or any thread, as a snapshot). */
  public boolean followsAt(int epoch) {
    return role == Role.FOLLOWER && leaderEpoch == epoch;
  }

  // ---------------------------------------------------------------- common

  /** Raises the log start offset; -1 means the high watermark. Returns the new log start offset. */
  public Future<Long> deleteRecordsBefore(long offset) {
    return onOwner(() -> {
      if (role != Role.LEADER) {
        throw new NotLeaderOrFollowerException("Broker " + replication.nodeId() + " is not the leader of "
            + topicPartition);
      }
      return log.deleteRecordsBefore(offset == -1 ? log.highWatermark() : offset);
    });
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
    Promise<T> promise = Promise.promise();
    try {
      owner.runOnContext(v -> {
        try {
          promise.complete(task.call());
        } catch (Exception e) {
          promise.fail(e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      promise.fail(new NotLeaderOrFollowerException(topicPartition + ": the broker is stopping"));
    }
    return promise.future();
  }

  /**
   * Runs {@code waiter} once, on the owner context, after the high watermark next moves (or the
   * partition goes away or changes role). Thread-safe.
   *
   * @return cancels the wait (a fetch answered by its timer must not stay registered)
   */
  public Runnable awaitNewData(Runnable waiter) {
    return await(waiter, false);
  }

  /** As {@link #awaitNewData}, woken when the log end moves instead: followers' fetches. */
  public Runnable awaitAppend(Runnable waiter) {
    return await(waiter, true);
  }

  private Runnable await(Runnable waiter, boolean onAppend) {
    synchronized (this) {
      Set<Runnable> set = onAppend ? appendWaiters : waiters;
      if (set != null) {
        set.add(waiter);
        return () -> {
          synchronized (this) {
            Set<Runnable> current = onAppend ? appendWaiters : waiters;
            if (current != null) {
              current.remove(waiter);
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
    return (waiters == null ? 0 : waiters.size()) + (appendWaiters == null ? 0 : appendWaiters.size());
  }

  /** Wakes every waiter and refuses new ones: the partition is no longer hosted here. */
  void close() {
    metrics.close();
    Set<Runnable> woken = new LinkedHashSet<>();
    synchronized (this) {
      if (waiters != null) {
        woken.addAll(waiters);
        woken.addAll(appendWaiters);
      }
      waiters = null;
      appendWaiters = null;
    }
    woken.forEach(Runnable::run);
    onOwner(() -> {
      acks.failAll(new NotLeaderOrFollowerException(topicPartition + " is no longer hosted on broker "
          + replication.nodeId()));
      return null;
    });
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

  private void wakeAppendWaiters() {
    Set<Runnable> woken;
    synchronized (this) {
      if (appendWaiters == null || appendWaiters.isEmpty()) {
        return;
      }
      woken = appendWaiters;
      appendWaiters = new LinkedHashSet<>();
    }
    woken.forEach(Runnable::run);
  }

  private void wakeAll() {
    wakeWaiters();
    wakeAppendWaiters();
  }

  /** Follower log end offsets as the leader knows them (for tests and describe tools). */
  public Optional<Long> followerLogEndOffset(int replicaId) {
    LeaderState state = leaderState;
    return state == null ? Optional.empty() : Optional.of(state.followerLogEndOffset(replicaId));
  }

  @Override
  public String toString() {
    return topicPartition + " (topic id " + topicId + ", " + role + ", leader " + leaderId + ", epoch "
        + leaderEpoch + ", ISR " + isr + ")";
  }
}
