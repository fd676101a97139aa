package io.millrace.engine.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.CPMember;
import com.hazelcast.cp.CPSubsystemManagementService;
import java.util.Collection;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the CP Subsystem at {@code cluster.cp.member.count} members while brokers crash and
 * restart. Without persistence a CP member that dies never comes back (a restarted broker is a
 * new member), and Raft groups that keep counting dead members eventually lose their majority.
 * So:
 * <ul>
 *   <li>when a member leaves the cluster (its failure detector has declared it gone), a CP
 *       member that it was is removed from the CP Subsystem at once (Hazelcast's own automatic
 *       removal, {@code cluster.cp.missing.member.removal.seconds}, is the backstop);
 *   <li>every second, a broker that is not a CP member promotes itself while there are fewer CP
 *       members than configured, and the CP groups take it in.
 * </ul>
 * Removal needs the CP majority; with it gone (more than half the CP members lost at once) the CP
 * Subsystem is stuck, and once enough brokers are back the oldest member resets it.
 *
 * <p>Runs on one thread of its own; blocking Hazelcast calls never touch an event loop.
 */
final class CpMembers implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CpMembers.class);
  private static final long CALL_TIMEOUT_MS = 5_000;
  /** How long the CP Subsystem may be silent, with enough brokers present, before it is reset. */
  private static final long LOST_MAJORITY_RESET_MS = 20_000;

  private final HazelcastInstance hazelcast;
  private final int memberCount;
  private final ScheduledExecutorService thread;

  CpMembers(HazelcastInstance hazelcast, int memberCount) {
    this.hazelcast = hazelcast;
    this.memberCount = memberCount;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "millrace-cp-members");
      t.setDaemon(true);
      return t;
    });
  }

  void start() {
    if (memberCount > 0) {
      thread.scheduleWithFixedDelay(this::maybePromote, 1, 1, TimeUnit.SECONDS);
    }
  }

  void onMemberRemoved(Member member) {
    if (memberCount == 0 || thread.isShutdown()) {
      return;
    }
    thread.execute(() -> {
      try {
        CPSubsystemManagementService cp = management();
        if (cp.getLocalCPMember() == null) {
          return;
        }
        Collection<CPMember> cpMembers = cp.getCPMembers().toCompletableFuture().get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        for (CPMember m : cpMembers) {
          if (m.getUuid().equals(member.getUuid())) {
            cp.removeCPMember(m.getUuid()).toCompletableFuture().get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            log.info("Removed departed CP member {} ({})", m.getUuid(), m.getAddress());
          }
        }
      } catch (Exception e) {
        log.debug("Removing departed CP member {}: {}", member.getUuid(), e.toString());
      }
    });
  }

  private void maybePromote() {
    try {
      CPSubsystemManagementService cp = management();
      Collection<CPMember> cpMembers = cp.getCPMembers().toCompletableFuture().get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      lastAnsweredNanos = System.nanoTime();
      if (cp.getLocalCPMember() != null || cpMembers.size() >= memberCount) {
        return;
      }
      cp.promoteToCPMember().toCompletableFuture().get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      log.info("Promoted this broker to CP member ({} of {} before)", cpMembers.size(), memberCount);
    } catch (Exception e) {
      String why = e.toString();
      if (!why.equals(lastProblem)) {
        lastProblem = why;
        log.info("Cannot promote this broker to CP member yet: {}", why);
      }
      maybeReset();
    }
  }

  private String lastProblem = "";
  private volatile long lastAnsweredNanos = System.nanoTime();

  /**
   * The CP Subsystem lost its majority for good (more than half its members died before
   * replacements were promoted): no controller can be elected until it is reset. With enough
   * brokers in the cluster, the oldest member resets it after {@link #LOST_MAJORITY_RESET_MS}.
   * Resetting wipes the controller lock, nothing else: the metadata and its safety live in the
   * brokers' metadata quorum, not in the CP Subsystem.
   */
  private void maybeReset() {
    long silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastAnsweredNanos);
    var members = hazelcast.getCluster().getMembers();
    boolean oldest = !members.isEmpty() && members.iterator().next().localMember();
    if (silentMs < LOST_MAJORITY_RESET_MS || members.size() < memberCount || !oldest) {
      return;
    }
    log.warn("The CP Subsystem has not answered for {} ms with {} brokers in the cluster: it lost its majority;"
        + " resetting it (the controller lock starts over; the metadata is kept by the brokers)", silentMs,
        members.size());
    try {
      management().reset().toCompletableFuture().get(CALL_TIMEOUT_MS * 3, TimeUnit.MILLISECONDS);
      lastAnsweredNanos = System.nanoTime();
      log.warn("CP Subsystem reset");
    } catch (Exception e) {
      log.warn("Resetting the CP Subsystem failed: {}", e.toString());
    }
  }

  private CPSubsystemManagementService management() {
    return hazelcast.getCPSubsystem().getCPSubsystemManagementService();
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
