package io.millrace.engine.replication;

import io.millrace.engine.broker.HostedPartition;
import io.millrace.engine.metadata.Endpoint;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The follower side of replication on one broker: one {@link ReplicaFetcher} per leader broker
 * (Kafka's {@code num.replica.fetchers=1}), each on its own context, and which partition follows
 * which leader. The broker tells it whenever a committed image makes a hosted partition a
 * follower of a new leader or epoch, or a leader, or gone.
 *
 * <p>Thread-safe.
 */
public final class ReplicaFetchers implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ReplicaFetchers.class);

  private final VertxInternal vertx;
  private final int selfId;
  private final ReplicationConfig config;
  private final NetClient client;
  private final Map<Integer, ReplicaFetcher> byLeader = new HashMap<>();
  private final Map<TopicPartition, Integer> leaderOf = new HashMap<>();
  private boolean closed;

  public ReplicaFetchers(VertxInternal vertx, int selfId, ReplicationConfig config) {
    this.vertx = vertx;
    this.selfId = selfId;
    this.config = config;
    this.client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true)
        .setConnectTimeout(Math.min(config.replicaSocketTimeoutMs(), 10_000)).setReceiveBufferSize(1 << 20));
  }

  /**
   * Follows {@code partition} from {@code leaderId} (reachable at {@code endpoint}) at
   * {@code leaderEpoch}: truncates first, then fetches.
   */
  public synchronized void follow(HostedPartition partition, int leaderId, int leaderEpoch, Endpoint endpoint) {
    if (closed) {
      return;
    }
    TopicPartition tp = partition.topicPartition();
    unfollowLocked(tp);
    ReplicaFetcher fetcher = byLeader.computeIfAbsent(leaderId, id -> {
      log.info("Broker {} starts fetching from broker {} at {}", selfId, id, endpoint);
      return new ReplicaFetcher(vertx.createEventLoopContext(), client, selfId, id, endpoint, config);
    });
    fetcher.moveTo(endpoint);
    fetcher.add(partition, leaderEpoch);
    leaderOf.put(tp, leaderId);
  }

  /** The leader {@code leaderId} is now reachable at {@code endpoint} (it registered again). */
  public synchronized void leaderAt(int leaderId, Endpoint endpoint) {
    ReplicaFetcher fetcher = byLeader.get(leaderId);
    if (fetcher != null) {
      fetcher.moveTo(endpoint);
    }
  }

  /** Stops fetching {@code tp} (this broker leads it now, it has no leader, or it is gone). */
  public synchronized void unfollow(TopicPartition tp) {
    unfollowLocked(tp);
  }

  private void unfollowLocked(TopicPartition tp) {
    Integer leader = leaderOf.remove(tp);
    if (leader != null) {
      ReplicaFetcher fetcher = byLeader.get(leader);
      fetcher.remove(tp);
      if (!leaderOf.containsValue(leader)) {
        byLeader.remove(leader);
        fetcher.close();
      }
    }
  }

  /** The leader {@code tp} is fetched from, if any. */
  public synchronized Optional<Integer> leaderOf(TopicPartition tp) {
    return Optional.ofNullable(leaderOf.get(tp));
  }

  @Override
  public synchronized void close() {
    closed = true;
    byLeader.values().forEach(ReplicaFetcher::close);
    byLeader.clear();
    leaderOf.clear();
    client.close();
  }
}
