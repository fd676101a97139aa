package io.millrace.engine.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.cp.CPSubsystemConfig;
import com.hazelcast.config.cp.FencedLockConfig;
import com.hazelcast.config.cp.RaftAlgorithmConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The Hazelcast member configuration of a broker, built in code from {@link ClusterConfig} (never
 * from Hazelcast's default XML, which joins by multicast):
 *
 * <ul>
 *   <li>the cluster name, one member port without auto-increment on {@code cluster.host} only,
 *       TCP-IP join with {@code cluster.join}, multicast and auto-detection off, no phone-home;
 *   <li>the broker's node id as the member attribute {@link #NODE_ID_ATTRIBUTE}, so every member
 *       knows which broker a Hazelcast member is;
 *   <li>the CP Subsystem ({@code cluster.cp.member.count} members, short sessions so a dead
 *       controller's lock is freed within seconds, departed members replaced) and the controller
 *       lock, which is not reentrant;
 *   <li>the structures vertx-hazelcast itself needs ({@code __vertx.subs}, {@code __vertx.haInfo},
 *       {@code __vertx.nodeInfo}).
 * </ul>
 */
public final class HazelcastSettings {

  /** Member attribute holding the broker's {@code node.id}. */
  public static final String NODE_ID_ATTRIBUTE = "millrace.node.id";
  /** The CP lock whose holder is the controller; its fencing token is the controller epoch. */
  public static final String CONTROLLER_LOCK = "millrace-controller";

  private HazelcastSettings() {}

  public static Config build(ClusterConfig cluster, int nodeId) {
    Config config = new Config();
    config.setClusterName(cluster.name());
    config.setInstanceName("millrace-" + cluster.name() + "-" + nodeId + "-" + java.util.UUID.randomUUID());
    config.getMemberAttributeConfig().setAttribute(NODE_ID_ATTRIBUTE, Integer.toString(nodeId));
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // A graceful leave hands partitions and CP seats over; without the others (the last brokers of a
    // stopping cluster) it would wait for them, so it is bounded, then the member just stops.
    config.setProperty("hazelcast.graceful.shutdown.max.wait", "5");
    config.setProperty("hazelcast.logging.type", System.getProperty("hazelcast.logging.type", "slf4j"));
    config.setProperty("hazelcast.heartbeat.interval.seconds", Integer.toString(cluster.memberHeartbeatSeconds()));
    config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(cluster.memberTimeoutSeconds()));
    // Members that lost contact merge back quickly once they can talk again.
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(false).setPortCount(1);
    network.setPublicAddress(cluster.host() + ":" + cluster.port());
    network.getInterfaces().setEnabled(true).clear().addInterface(cluster.host());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    List<String> members = new ArrayList<>(cluster.join());
    if (members.isEmpty()) {
      members.add(cluster.host() + ":" + cluster.port());
    }
    join.getTcpIpConfig().setEnabled(true).setMembers(members).setConnectionTimeoutSeconds(1);

    config.setCPSubsystemConfig(cpSubsystem(cluster));

    config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
        .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
    return config;
  }

  private static CPSubsystemConfig cpSubsystem(ClusterConfig cluster) {
    CPSubsystemConfig cp = new CPSubsystemConfig();
    cp.setCPMemberCount(cluster.cpMemberCount());
    if (cluster.cpMemberCount() > 0) {
      cp.setGroupSize(cluster.cpMemberCount());
      cp.setMissingCPMemberAutoRemovalSeconds(cluster.cpMissingMemberRemovalSeconds());
    }
    cp.setSessionTimeToLiveSeconds(cluster.cpSessionTtlSeconds());
    cp.setSessionHeartbeatIntervalSeconds(cluster.cpSessionHeartbeatSeconds());
    // An operation whose outcome is unknown (a leader died mid-commit) fails rather than retrying
    // blindly: the election loop retries it knowingly.
    cp.setFailOnIndeterminateOperationState(true);
    long election = cluster.cpRaftElectionTimeoutMs();
    cp.setRaftAlgorithmConfig(new RaftAlgorithmConfig()
        .setLeaderElectionTimeoutInMillis(election)
        .setLeaderHeartbeatPeriodInMillis(Math.max(50, election / 5))
        .setMaxMissedLeaderHeartbeatCount(5)
        .setAppendRequestBackoffTimeoutInMillis(Math.max(20, election / 10)));
    // Not reentrant: the controller takes it once; a second acquisition by the same thread is a bug.
    cp.addLockConfig(new FencedLockConfig(CONTROLLER_LOCK, 1));
    return cp;
  }
}
