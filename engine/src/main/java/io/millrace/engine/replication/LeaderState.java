package io.millrace.engine.replication;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the leader of a partition knows about its followers, and the decisions it makes from that:
 * the high watermark, and when to ask the controller to shrink or grow the ISR. Pure (the time is
 * passed in); owned by the partition's owner context.
 *
 * <p>Kafka's rules:
 * <ul>
 *   <li>A follower's log end offset is the offset it fetches from. A follower is caught up at a
 *       fetch that reaches the leader's log end; a fetch that reaches the log end the leader had at
 *       the follower's previous fetch counts as caught up as of that previous fetch.
 *   <li>The high watermark is the smallest log end offset over the <em>maximal</em> ISR: the ISR
 *       plus any replica an ISR change in flight adds (so the high watermark never depends on a
 *       change that may not commit). A follower whose offset is unknown (none since this broker
 *       became leader) holds it back.
 *   <li>A follower in the ISR not caught up for {@code replica.lag.time.max.ms} is proposed for
 *       removal; one outside it whose log end reached the high watermark and this leader epoch's
 *       start offset is proposed for addition. One change is in flight at a time.
 * </ul>
 */
public final class LeaderState {

  /** A follower's log end offset before it has fetched from this leader. */
  public static final long UNKNOWN = -1;

  private static final class Follower {
    long logEndOffset = UNKNOWN;
    long lastCaughtUpTimeMs;
    long lastFetchLeaderLogEndOffset = UNKNOWN;
    long lastFetchTimeMs;
  }

  private final int selfId;
  private final List<Integer> replicas;
  private final Map<Integer, Follower> followers = new LinkedHashMap<>();
  private List<Integer> isr;
  private int partitionEpoch;
  /** The ISR asked of the controller and not yet answered, or null. */
  private List<Integer> pendingIsr;

  /**
   * A new leadership: every follower gets a full lag window from {@code nowMs} before it may be
   * removed, and an unknown log end offset.
   */
  public LeaderState(int selfId, List<Integer> replicas, List<Integer> isr, int partitionEpoch, long nowMs) {
    this.selfId = selfId;
    this.replicas = List.copyOf(replicas);
    this.isr = List.copyOf(isr);
    this.partitionEpoch = partitionEpoch;
    for (int id : replicas) {
      if (id != selfId) {
        Follower f = new Follower();
        f.lastCaughtUpTimeMs = nowMs;
        followers.put(id, f);
      }
    }
  }

  public boolean isReplica(int id) {
    return followers.containsKey(id);
  }

  /** The committed ISR. */
  public List<Integer> isr() {
    return isr;
  }

  public int partitionEpoch() {
    return partitionEpoch;
  }

  /** The ISR change in flight, if any. */
  public Optional<List<Integer>> pendingIsr() {
    return Optional.ofNullable(pendingIsr);
  }

  /** The ISR together with replicas a change in flight adds: what the high watermark waits for. */
  public List<Integer> maximalIsr() {
    if (pendingIsr == null) {
      return isr;
    }
    List<Integer> out = new ArrayList<>(isr);
    for (int id : pendingIsr) {
      if (!out.contains(id)) {
        out.add(id);
      }
    }
    return out;
  }

  /** A follower fetched from {@code fetchOffset} while the leader's log ended at {@code leaderLogEndOffset}. */
  public void onFollowerFetch(int id, long fetchOffset, long leaderLogEndOffset, long nowMs) {
    Follower f = followers.get(id);
    if (f == null) {
      return;
    }
    if (fetchOffset >= leaderLogEndOffset) {
      f.lastCaughtUpTimeMs = Math.max(f.lastCaughtUpTimeMs, nowMs);
    } else if (f.lastFetchLeaderLogEndOffset != UNKNOWN && fetchOffset >= f.lastFetchLeaderLogEndOffset) {
      f.lastCaughtUpTimeMs = Math.max(f.lastCaughtUpTimeMs, f.lastFetchTimeMs);
    }
    f.logEndOffset = fetchOffset;
    f.lastFetchLeaderLogEndOffset = leaderLogEndOffset;
    f.lastFetchTimeMs = nowMs;
  }

  public long followerLogEndOffset(int id) {
    Follower f = followers.get(id);
    return f == null ? UNKNOWN : f.logEndOffset;
  }

  /**
   * The high watermark the ISR allows: the smallest log end offset over the maximal ISR (the
   * leader's own is {@code leaderLogEndOffset}); {@link #UNKNOWN} if a member's is not known.
   */
  public long highWatermarkCandidate(long leaderLogEndOffset) {
    long hw = leaderLogEndOffset;
    for (int id : maximalIsr()) {
      if (id == selfId) {
        continue;
      }
      Follower f = followers.get(id);
      if (f == null || f.logEndOffset == UNKNOWN) {
        return UNKNOWN;
      }
      hw = Math.min(hw, f.logEndOffset);
    }
    return hw;
  }

  /**
   * The ISR without followers that have not caught up for longer than {@code lagMaxMs}, if any
   * must go and no change is in flight.
   */
  public Optional<List<Integer>> shrink(long nowMs, long lagMaxMs) {
    if (pendingIsr != null) {
      return Optional.empty();
    }
    List<Integer> keep = new ArrayList<>();
    for (int id : isr) {
      Follower f = followers.get(id);
      if (id == selfId || f == null || nowMs - f.lastCaughtUpTimeMs <= lagMaxMs) {
        keep.add(id);
      }
    }
    return keep.size() == isr.size() ? Optional.empty() : Optional.of(List.copyOf(keep));
  }

  /**
   * The ISR with every follower outside it that has caught up (log end at or past the high
   * watermark and this leader epoch's start offset, and caught up within the lag bound), if any
   * and no change is in flight.
   */
  public Optional<List<Integer>> expand(long highWatermark, long epochStartOffset, long nowMs, long lagMaxMs) {
    if (pendingIsr != null) {
      return Optional.empty();
    }
    List<Integer> grown = new ArrayList<>(isr);
    for (Map.Entry<Integer, Follower> e : followers.entrySet()) {
      Follower f = e.getValue();
      if (!isr.contains(e.getKey()) && f.logEndOffset != UNKNOWN && f.logEndOffset >= highWatermark
          && f.logEndOffset >= epochStartOffset && nowMs - f.lastCaughtUpTimeMs <= lagMaxMs) {
        grown.add(e.getKey());
      }
    }
    if (grown.size() == isr.size()) {
      return Optional.empty();
    }
    List<Integer> ordered = replicas.stream().filter(grown::contains).toList();
    return Optional.of(ordered);
  }

  /** An ISR change was sent to the controller. */
  public void proposed(List<Integer> newIsr) {
    pendingIsr = List.copyOf(newIsr);
  }

  /** The controller answered without a change (refused, or failed): nothing is in flight. */
  public void proposalFailed() {
    pendingIsr = null;
  }

  /** The committed ISR (from the controller's answer or a new image). Clears a matching proposal. */
  public void committed(List<Integer> newIsr, int newPartitionEpoch) {
    int previousEpoch = partitionEpoch;
    if (newPartitionEpoch < previousEpoch) {
      return;
    }
    isr = List.copyOf(newIsr);
    partitionEpoch = newPartitionEpoch;
    // A proposal made at an older partition epoch is either this change or will be refused.
    if (pendingIsr != null && (pendingIsr.equals(isr) || newPartitionEpoch > previousEpoch)) {
      pendingIsr = null;
    }
  }
}
