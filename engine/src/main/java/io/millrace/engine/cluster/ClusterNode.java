package io.millrace.engine.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This broker as a member of the cluster: a Vert.x instance clustered through Hazelcast (the event
 * bus between brokers, failure detection), configured by {@link HazelcastSettings}, and the live
 * view of which brokers are members. Also keeps the CP Subsystem whole ({@link CpMembers}).
 *
 * <p>A broker's incarnation is its Hazelcast member id: a broker that restarts joins as a new
 * member, so the controller can tell a restart from a broker that never left.
 *
 * <p>Thread-safe.
 */
public final class ClusterNode implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);

  private final ClusterConfig config;
  private final int nodeId;
  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final CpMembers cpMembers;
  private final List<Runnable> membershipCallbacks = new CopyOnWriteArrayList<>();
  private volatile Map<Integer, String> members = Map.of();
  private final String incarnation;

  private ClusterNode(ClusterConfig config, int nodeId, Vertx vertx, HazelcastInstance hazelcast) {
    this.config = config;
    this.nodeId = nodeId;
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.cpMembers = new CpMembers(hazelcast, config.cpMemberCount());
    this.incarnation = hazelcast.getCluster().getLocalMember().getUuid().toString();
  }

  /**
   * Joins the cluster: starts the Hazelcast member and the clustered Vert.x instance. Blocks until
   * this member has joined (it may be the first one).
   *
   * @throws IllegalStateException when the member cannot start (the port is in use, ...)
   */
  public static ClusterNode join(ClusterConfig config, int nodeId, VertxOptions options,
      io.vertx.core.spi.VertxMetricsFactory metrics) {
    if (config.cpMemberCount() == 0) {
      log.warn("cluster.cp.member.count=0: the CP Subsystem runs in UNSAFE mode (no Raft). The controller lock is"
          + " not linearizable: during a network partition two brokers may both try to be the controller (the"
          + " metadata quorum still keeps them from both writing). Use 3 or more brokers and"
          + " cluster.cp.member.count=3 in production.");
    }
    HazelcastClusterManager manager = new HazelcastClusterManager(HazelcastSettings.build(config, nodeId));
    options.getEventBusOptions().setHost(config.host()).setPort(config.eventBusPort())
        .setClusterPublicHost(config.host());
    Vertx vertx;
    try {
      var builder = Vertx.builder().with(options).withClusterManager(manager);
      if (metrics != null) {
        builder = builder.withMetrics(metrics);
      }
      vertx = builder.buildClustered().await(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
      throw new IllegalStateException("cannot join cluster '" + config.name() + "' as " + config.host() + ":"
          + config.port() + " (members " + config.join() + "): " + cause.getMessage(), cause);
    }
    ClusterNode node = new ClusterNode(config, nodeId, vertx, manager.getHazelcastInstance());
    node.watchMembership();
    log.info("Joined cluster '{}' as member {} at {}:{} with {} member(s)", config.name(), node.incarnation(),
        config.host(), config.port(), node.hazelcast.getCluster().getMembers().size());
    node.cpMembers.start();
    return node;
  }

  private void watchMembership() {
    hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        log.info("Broker {} joined the cluster (member {})", brokerId(event.getMember()), event.getMember().getUuid());
        refresh();
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        log.info("Broker {} left the cluster (member {})", brokerId(event.getMember()), event.getMember().getUuid());
        refresh();
        cpMembers.onMemberRemoved(event.getMember());
      }
    });
    refresh();
  }

  private synchronized void refresh() {
    Map<Integer, String> next = new TreeMap<>();
    for (Member m : hazelcast.getCluster().getMembers()) {
      int id = brokerId(m);
      if (id >= 0) {
        // Two members with one node id: the broker restarted before its old run was noticed gone,
        // or a misconfiguration. The member list is oldest first: the newest run wins.
        next.put(id, m.getUuid().toString());
      }
    }
    members = Collections.unmodifiableMap(next);
    membershipCallbacks.forEach(Runnable::run);
  }

  private static int brokerId(Member m) {
    String attribute = m.getAttribute(HazelcastSettings.NODE_ID_ATTRIBUTE);
    try {
      return attribute == null ? -1 : Integer.parseInt(attribute);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  public Vertx vertx() {
    return vertx;
  }

  public HazelcastInstance hazelcast() {
    return hazelcast;
  }

  public ClusterConfig config() {
    return config;
  }

  public int nodeId() {
    return nodeId;
  }

  /**
   * This run's member id. It changes when the member rejoins after the others removed it (it was
   * cut off, or paused, for longer than the member timeout): that is a new run to the controller.
   */
  public String incarnation() {
    try {
      return hazelcast.getCluster().getLocalMember().getUuid().toString();
    } catch (RuntimeException e) {
      return incarnation;
    }
  }

  /** Brokers in the cluster now: node id to member id. */
  public Map<Integer, String> members() {
    return members;
  }

  /** Runs {@code callback} (on a Hazelcast thread) whenever a member joins or leaves. */
  public void onMembershipChange(Runnable callback) {
    membershipCallbacks.add(callback);
  }

  /** Whether the CP Subsystem runs with Raft (cluster.cp.member.count >= 3). */
  public boolean cpEnabled() {
    return config.cpMemberCount() > 0;
  }

  /**
   * Leaves the cluster and closes Vert.x (and with it the Hazelcast member). Blocks; never call
   * it from an event loop.
   */
  @Override
  public void close() {
    cpMembers.close();
    try {
      vertx.close().await(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("Leaving the cluster cleanly took too long ({}); stopping the member", e.toString());
    }
    if (hazelcast.getLifecycleService().isRunning()) {
      hazelcast.getLifecycleService().terminate();
    }
  }

  /**
   * Leaves abruptly, as a crash would: the member stops without a goodbye, the others notice it
   * gone (for tests). {@link #close} afterwards releases the rest.
   */
  public void crash() {
    cpMembers.close();
    hazelcast.getLifecycleService().terminate();
  }
}
