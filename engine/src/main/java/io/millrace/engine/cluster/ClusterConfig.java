package io.millrace.engine.cluster;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * How a broker joins a cluster ({@code cluster.*}): the Hazelcast member it runs (bind address,
 * port, the members to join, the cluster name), the CP Subsystem that elects the controller, and
 * the failure-detection timings. Without {@code cluster.enabled=true} none of this is used and the
 * broker is a single node.
 *
 * <p>Built from the broker's properties; keys of other parts are ignored. Immutable and
 * thread-safe. An invalid value throws {@link ConfigException} naming the key.
 */
public final class ClusterConfig {

  public static final String ENABLED = "cluster.enabled";
  public static final String NAME = "cluster.name";
  public static final String HOST = "cluster.host";
  public static final String PORT = "cluster.port";
  public static final String JOIN = "cluster.join";
  public static final String EVENT_BUS_PORT = "cluster.event.bus.port";
  public static final String CP_MEMBER_COUNT = "cluster.cp.member.count";
  public static final String CP_SESSION_TTL_SECONDS = "cluster.cp.session.ttl.seconds";
  public static final String CP_SESSION_HEARTBEAT_SECONDS = "cluster.cp.session.heartbeat.seconds";
  public static final String CP_MISSING_MEMBER_REMOVAL_SECONDS = "cluster.cp.missing.member.removal.seconds";
  public static final String CP_RAFT_ELECTION_TIMEOUT_MS = "cluster.cp.raft.election.timeout.ms";
  public static final String MEMBER_HEARTBEAT_SECONDS = "cluster.member.heartbeat.seconds";
  public static final String MEMBER_TIMEOUT_SECONDS = "cluster.member.timeout.seconds";
  public static final String CONTROLLER_REQUEST_TIMEOUT_MS = "cluster.controller.request.timeout.ms";

  public static final ConfigDef CONFIG_DEF = new ConfigDef()
      .define(ENABLED, Type.BOOLEAN, false, HIGH,
          "Run this broker as a member of a cluster (Hazelcast membership, an elected controller,"
              + " replication). false: a single node, which needs nothing else.")
      .define(NAME, Type.STRING, "millrace", new ConfigDef.NonEmptyString(), HIGH,
          "The cluster's name: only members with the same name form a cluster.")
      .define(HOST, Type.STRING, "127.0.0.1", new ConfigDef.NonEmptyString(), HIGH,
          "The address the cluster member (Hazelcast) and the event bus bind to and advertise to the"
              + " other brokers: an address of this machine the others can reach.")
      .define(PORT, Type.INT, 5701, between(1, 65535), HIGH,
          "The cluster member's port (Hazelcast), on cluster.host.")
      .define(JOIN, Type.LIST, "", HIGH,
          "The members to join, host:port,... (cluster.host and cluster.port of the other brokers;"
              + " listing this broker too is fine). Empty: wait for the others to join this one.")
      .define(EVENT_BUS_PORT, Type.INT, 0, between(0, 65535), LOW,
          "Port of the Vert.x event bus between brokers, on cluster.host; 0 picks a free one.")
      .define(CP_MEMBER_COUNT, Type.INT, 3, atLeast(0), HIGH,
          "Members of the CP Subsystem (Raft) that elects the controller: 3 or more (an odd number;"
              + " 3 tolerates one failure, 5 two). The cluster elects no controller before that many brokers"
              + " have joined. 0 runs the CP Subsystem without Raft (unsafe mode, for one or two brokers):"
              + " the metadata quorum still prevents conflicting controllers, but a partition can stall it.")
      .define(CP_SESSION_TTL_SECONDS, Type.INT, 5, atLeast(2), MEDIUM,
          "A controller that stops heartbeating its CP session loses the controller lock after this long.")
      .define(CP_SESSION_HEARTBEAT_SECONDS, Type.INT, 1, atLeast(1), MEDIUM,
          "How often a broker heartbeats its CP session; below cluster.cp.session.ttl.seconds.")
      .define(CP_MISSING_MEMBER_REMOVAL_SECONDS, Type.INT, 10, atLeast(1), MEDIUM,
          "A CP member gone from the cluster for this long is replaced in the CP groups (brokers also"
              + " remove departed CP members at once and promote themselves to fill the CP member count).")
      .define(CP_RAFT_ELECTION_TIMEOUT_MS, Type.LONG, 1000L, atLeast(100), LOW,
          "Raft leader election timeout of the CP groups (heartbeats go at a fifth of it).")
      .define(MEMBER_HEARTBEAT_SECONDS, Type.INT, 1, atLeast(1), MEDIUM,
          "How often cluster members heartbeat each other.")
      .define(MEMBER_TIMEOUT_SECONDS, Type.INT, 6, atLeast(2), HIGH,
          "A member silent this long (a hung or partitioned broker) is removed from the cluster; the"
              + " controller then moves its leaderships. A killed broker is noticed sooner, when its"
              + " connections close.")
      .define(CONTROLLER_REQUEST_TIMEOUT_MS, Type.INT, 10_000, atLeast(100), MEDIUM,
          "How long a broker waits for the controller to answer (forwarded admin requests, ISR"
              + " changes, registration), and the controller for a quorum of brokers to store a change.");

  private final AbstractConfig values;
  private final List<String> join;

  public ClusterConfig(Map<?, ?> props) {
    this.values = new AbstractConfig(CONFIG_DEF, props, false);
    this.join = parseJoin(values.getList(JOIN));
    int cp = cpMemberCount();
    if (cp > 0 && cp < 3) {
      throw new ConfigException(CP_MEMBER_COUNT, cp, "Raft needs at least 3 CP members; use 0 for one or two brokers");
    }
    if (cpSessionHeartbeatSeconds() >= cpSessionTtlSeconds()) {
      throw new ConfigException(CP_SESSION_HEARTBEAT_SECONDS, cpSessionHeartbeatSeconds(),
          "must be below " + CP_SESSION_TTL_SECONDS + " (" + cpSessionTtlSeconds() + ")");
    }
    if (memberHeartbeatSeconds() >= memberTimeoutSeconds()) {
      throw new ConfigException(MEMBER_HEARTBEAT_SECONDS, memberHeartbeatSeconds(),
          "must be below " + MEMBER_TIMEOUT_SECONDS + " (" + memberTimeoutSeconds() + ")");
    }
  }

  private static List<String> parseJoin(List<String> entries) {
    List<String> out = new ArrayList<>();
    for (String e : entries) {
      String s = e.trim();
      if (s.isEmpty()) {
        continue;
      }
      int colon = s.lastIndexOf(':');
      if (colon <= 0 || colon == s.length() - 1) {
        throw new ConfigException(JOIN, entries, "'" + s + "' is not host:port");
      }
      try {
        int port = Integer.parseInt(s.substring(colon + 1));
        if (port < 1 || port > 65535) {
          throw new ConfigException(JOIN, entries, "port of '" + s + "' is outside 1..65535");
        }
      } catch (NumberFormatException x) {
        throw new ConfigException(JOIN, entries, "port of '" + s + "' is not a number");
      }
      out.add(s);
    }
    return List.copyOf(out);
  }

  public boolean enabled() {
    return values.getBoolean(ENABLED);
  }

  public String name() {
    return values.getString(NAME);
  }

  public String host() {
    return values.getString(HOST);
  }

  public int port() {
    return values.getInt(PORT);
  }

  /** {@code host:port} of the members to join. */
  public List<String> join() {
    return join;
  }

  public int eventBusPort() {
    return values.getInt(EVENT_BUS_PORT);
  }

  /** 0: unsafe mode (no Raft). */
  public int cpMemberCount() {
    return values.getInt(CP_MEMBER_COUNT);
  }

  public int cpSessionTtlSeconds() {
    return values.getInt(CP_SESSION_TTL_SECONDS);
  }

  public int cpSessionHeartbeatSeconds() {
    return values.getInt(CP_SESSION_HEARTBEAT_SECONDS);
  }

  public int cpMissingMemberRemovalSeconds() {
    return values.getInt(CP_MISSING_MEMBER_REMOVAL_SECONDS);
  }

  public long cpRaftElectionTimeoutMs() {
    return values.getLong(CP_RAFT_ELECTION_TIMEOUT_MS);
  }

  public int memberHeartbeatSeconds() {
    return values.getInt(MEMBER_HEARTBEAT_SECONDS);
  }

  public int memberTimeoutSeconds() {
    return values.getInt(MEMBER_TIMEOUT_SECONDS);
  }

  public int controllerRequestTimeoutMs() {
    return values.getInt(CONTROLLER_REQUEST_TIMEOUT_MS);
  }
}
