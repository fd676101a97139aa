package io.millrace.engine.replication;

import io.millrace.engine.broker.HostedPartition;
import io.millrace.engine.log.LeaderEpochCache;
import io.millrace.engine.log.PartitionLog;
import io.millrace.engine.metadata.Endpoint;
import io.vertx.core.Future;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.NetClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Records;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the partitions this broker follows from one leader broker, over a Kafka-protocol
 * connection to the leader's inter-broker listener (the leader answers from its zero-copy fetch
 * path). Each partition goes through two states per leader epoch:
 *
 * <pre>
 *   TRUNCATING --OffsetForLeaderEpoch(own latest epoch)--&gt; truncate the divergent tail
 *       |          (again while the leader's answer names an epoch this log does not have)
 *       v
 *   FETCHING   --Fetch(replica id, fetch offset = own log end, current leader epoch)--&gt; append,
 *               take the leader's high watermark; an out-of-range offset truncates again
 * </pre>
 *
 * Truncation and appends run on each partition's owner context and only while the partition
 * still follows at the epoch the request was made for, so nothing from an older leader is ever
 * appended after a leader change. Errors naming a stale epoch back the partition off until the
 * metadata moves it; a broken connection backs the whole fetcher off for
 * {@code replica.fetch.backoff.ms}.
 *
 * <p>Runs on its own context; {@link #add}, {@link #remove} and {@link #close} are thread-safe.
 */
public final class ReplicaFetcher {

  private static final Logger log = LoggerFactory.getLogger(ReplicaFetcher.class);
  private static final short FETCH_VERSION = 12;
  private static final short OFFSET_FOR_LEADER_EPOCH_VERSION = 4;

  private static final class State {
    final HostedPartition partition;
    final int leaderEpoch;
    boolean truncating = true;
    long delayedUntilMs;

    State(HostedPartition partition, int leaderEpoch) {
      this.partition = partition;
      this.leaderEpoch = leaderEpoch;
    }
  }

  private final ContextInternal context;
  private final NetClient client;
  private final int selfId;
  private final int leaderId;
  private final ReplicationConfig config;
  private final Map<TopicPartition, State> partitions = new LinkedHashMap<>();
  private Endpoint endpoint;
  private BrokerConnection connection;
  private boolean running;
  private boolean closed;
  private long wakeTimer = -1;

  ReplicaFetcher(ContextInternal context, NetClient client, int selfId, int leaderId, Endpoint endpoint,
      ReplicationConfig config) {
    this.context = context;
    this.client = client;
    this.selfId = selfId;
    this.leaderId = leaderId;
    this.endpoint = endpoint;
    this.config = config;
  }

  int leaderId() {
    return leaderId;
  }

  /** Follows {@code partition} from this leader at {@code leaderEpoch}, starting with truncation. */
  void add(HostedPartition partition, int leaderEpoch) {
    context.runOnContext(v -> {
      partitions.put(partition.topicPartition(), new State(partition, leaderEpoch));
      kick();
    });
  }

  void remove(TopicPartition tp) {
    context.runOnContext(v -> partitions.remove(tp));
  }

  /** The leader registered again on another address: reconnect there. */
  void moveTo(Endpoint newEndpoint) {
    context.runOnContext(v -> {
      if (!newEndpoint.equals(endpoint)) {
        endpoint = newEndpoint;
        dropConnection();
      }
    });
  }

  boolean isEmptyNow() {
    return partitions.isEmpty();
  }

  void close() {
    context.runOnContext(v -> {
      closed = true;
      partitions.clear();
      dropConnection();
    });
  }

  // ---------------------------------------------------------------- the loop

  private void kick() {
    if (!running && !closed) {
      running = true;
      if (wakeTimer >= 0) {
        context.owner().cancelTimer(wakeTimer);
        wakeTimer = -1;
      }
      context.runOnContext(v -> round());
    }
  }

  private void round() {
    if (closed || partitions.isEmpty()) {
      running = false;
      return;
    }
    if (connection == null || !connection.isOpen()) {
      connect();
      return;
    }
    long now = System.currentTimeMillis();
    List<State> truncating = new ArrayList<>();
    List<State> fetching = new ArrayList<>();
    long nextDelay = Long.MAX_VALUE;
    for (State s : partitions.values()) {
      if (s.delayedUntilMs > now) {
        nextDelay = Math.min(nextDelay, s.delayedUntilMs - now);
      } else if (s.truncating) {
        truncating.add(s);
      } else {
        fetching.add(s);
      }
    }
    Future<Void> step;
    if (!truncating.isEmpty()) {
      step = truncate(truncating);
    } else if (!fetching.isEmpty()) {
      step = fetch(fetching);
    } else {
      running = false;
      long delay = nextDelay;
      wakeTimer = context.owner().setTimer(Math.max(1, delay), t -> {
        wakeTimer = -1;
        kick();
      });
      return;
    }
    step.onComplete(ar -> {
      if (ar.failed()) {
        log.info("Fetching from broker {} at {} failed: {}; retrying in {} ms", leaderId, connection == null ? endpoint
            : connection.address(), ar.cause().getMessage(), config.replicaFetchBackoffMs());
        dropConnection();
        context.owner().setTimer(Math.max(1, config.replicaFetchBackoffMs()), t -> round());
      } else {
        round();
      }
    });
  }

  private void connect() {
    BrokerConnection c = new BrokerConnection(context, client, endpoint.host(), endpoint.port(),
        "millrace-replica-fetcher-" + selfId, config.replicaSocketTimeoutMs());
    connection = c;
    c.connect().onComplete(ar -> {
      if (ar.failed()) {
        log.info("Cannot reach leader {} at {}: {}; retrying in {} ms", leaderId, c.address(), ar.cause().getMessage(),
            config.replicaFetchBackoffMs());
        dropConnection();
        context.owner().setTimer(Math.max(1, config.replicaFetchBackoffMs()), t -> round());
      } else {
        round();
      }
    });
  }

  private void dropConnection() {
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }

  private void backOff(State s) {
    s.delayedUntilMs = System.currentTimeMillis() + config.replicaFetchBackoffMs();
  }

  // ---------------------------------------------------------------- truncation

  private Future<Void> truncate(List<State> states) {
    OffsetForLeaderEpochRequestData request = new OffsetForLeaderEpochRequestData().setReplicaId(selfId);
    Map<TopicPartition, State> asked = new LinkedHashMap<>();
    List<Future<Void>> done = new ArrayList<>();
    for (State s : states) {
      PartitionLog plog = s.partition.log();
      OptionalInt latest = plog.leaderEpochs().latestEpoch();
      if (latest.isEmpty()) {
        // Nothing written under any epoch: nothing can diverge (an empty log), or the log predates
        // epochs: keep only what the high watermark says was committed.
        done.add(onOwner(s, () -> {
          if (plog.logEndOffset() > plog.highWatermark()) {
            plog.truncateTo(plog.highWatermark());
          }
          s.truncating = false;
        }));
        continue;
      }
      TopicPartition tp = s.partition.topicPartition();
      OffsetForLeaderTopic topic = request.topics().find(tp.topic());
      if (topic == null) {
        topic = new OffsetForLeaderTopic().setTopic(tp.topic());
        request.topics().add(topic);
      }
      topic.partitions().add(new OffsetForLeaderPartition().setPartition(tp.partition())
          .setCurrentLeaderEpoch(s.leaderEpoch).setLeaderEpoch(latest.getAsInt()));
      asked.put(tp, s);
    }
    if (!asked.isEmpty()) {
      done.add(connection.<OffsetsForLeaderEpochResponse>send(ApiKeys.OFFSET_FOR_LEADER_EPOCH,
          OFFSET_FOR_LEADER_EPOCH_VERSION, request).compose(response -> {
            List<Future<Void>> truncations = new ArrayList<>();
            for (OffsetForLeaderTopicResult t : response.data().topics()) {
              for (EpochEndOffset r : t.partitions()) {
                State s = asked.get(new TopicPartition(t.topic(), r.partition()));
                if (s != null && partitions.get(s.partition.topicPartition()) == s) {
                  truncations.add(onDivergence(s, r));
                }
              }
            }
            return Future.join(truncations).mapEmpty();
          }));
    }
    return Future.join(done).mapEmpty();
  }

  private Future<Void> onDivergence(State s, EpochEndOffset r) {
    Errors error = Errors.forCode(r.errorCode());
    if (error != Errors.NONE) {
      log.debug("OffsetForLeaderEpoch of {} from broker {}: {}", s.partition.topicPartition(), leaderId, error);
      backOff(s);
      return Future.succeededFuture();
    }
    PartitionLog plog = s.partition.log();
    return onOwner(s, () -> {
      long leo = plog.logEndOffset();
      long truncateTo;
      boolean complete = true;
      if (r.endOffset() == LeaderEpochCache.UNDEFINED_EPOCH_OFFSET) {
        truncateTo = Math.min(plog.highWatermark(), leo);
      } else if (r.leaderEpoch() == LeaderEpochCache.UNDEFINED_EPOCH) {
        truncateTo = Math.min(r.endOffset(), leo);
      } else {
        LeaderEpochCache.EpochEntry own = plog.leaderEpochs().endOffsetFor(r.leaderEpoch());
        if (own.epoch() == LeaderEpochCache.UNDEFINED_EPOCH) {
          truncateTo = Math.min(r.endOffset(), leo);
        } else if (own.epoch() != r.leaderEpoch()) {
          // This log never had the leader's epoch: drop everything after its own older epoch and
          // ask again from there.
          truncateTo = Math.min(own.offset(), leo);
          complete = false;
        } else {
          truncateTo = Math.min(r.endOffset(), own.offset());
        }
      }
      if (truncateTo < leo) {
        log.info("Truncating {} from {} to {}: the leader's epoch {} ends at {} (divergent tail)",
            s.partition.topicPartition(), leo, truncateTo, r.leaderEpoch(), r.endOffset());
        plog.truncateTo(truncateTo);
      }
      s.truncating = !complete;
    });
  }

  // ---------------------------------------------------------------- fetching

  private Future<Void> fetch(List<State> states) {
    FetchRequestData request = new FetchRequestData().setReplicaId(selfId)
        .setMaxWaitMs(config.replicaFetchWaitMaxMs()).setMinBytes(config.replicaFetchMinBytes())
        .setMaxBytes(config.replicaFetchResponseMaxBytes()).setIsolationLevel((byte) 0)
        .setSessionId(0).setSessionEpoch(-1);
    Map<TopicPartition, State> asked = new LinkedHashMap<>();
    Map<TopicPartition, Long> fetchOffsets = new LinkedHashMap<>();
    for (State s : states) {
      TopicPartition tp = s.partition.topicPartition();
      PartitionLog plog = s.partition.log();
      FetchRequestData.FetchTopic topic = request.topics().stream().filter(t -> t.topic().equals(tp.topic()))
          .findFirst().orElse(null);
      if (topic == null) {
        topic = new FetchRequestData.FetchTopic().setTopic(tp.topic()).setTopicId(s.partition.topicId());
        request.topics().add(topic);
      }
      long fetchOffset = plog.logEndOffset();
      OptionalInt lastEpoch = plog.leaderEpochs().latestEpoch();
      topic.partitions().add(new FetchRequestData.FetchPartition().setPartition(tp.partition())
          .setCurrentLeaderEpoch(s.leaderEpoch).setFetchOffset(fetchOffset)
          .setLastFetchedEpoch(lastEpoch.isPresent() ? lastEpoch.getAsInt() : -1)
          .setLogStartOffset(plog.logStartOffset()).setPartitionMaxBytes(config.replicaFetchMaxBytes()));
      asked.put(tp, s);
      fetchOffsets.put(tp, fetchOffset);
    }
    return connection.<FetchResponse>send(ApiKeys.FETCH, FETCH_VERSION, request).compose(response -> {
      if (response.error() != Errors.NONE) {
        return Future.failedFuture(new IllegalStateException("fetch error " + response.error()));
      }
      List<Future<Void>> appends = new ArrayList<>();
      for (FetchResponseData.FetchableTopicResponse t : response.data().responses()) {
        for (FetchResponseData.PartitionData p : t.partitions()) {
          TopicPartition tp = new TopicPartition(t.topic(), p.partitionIndex());
          State s = asked.get(tp);
          if (s != null && partitions.get(tp) == s) {
            appends.add(onFetched(s, p, fetchOffsets.get(tp)));
          }
        }
      }
      return Future.join(appends).mapEmpty();
    });
  }

  private Future<Void> onFetched(State s, FetchResponseData.PartitionData p, long fetchOffset) {
    Errors error = Errors.forCode(p.errorCode());
    switch (error) {
      case NONE -> {
        Records records = FetchResponse.recordsOrFail(p);
        MemoryRecords memory = records instanceof MemoryRecords m ? m : MemoryRecords.EMPTY;
        return onOwner(s, () -> {
          PartitionLog plog = s.partition.log();
          if (plog.logEndOffset() != fetchOffset) {
            return; // truncated or appended meanwhile: the next round fetches from the new end
          }
          s.partition.appendAsFollower(memory, s.leaderEpoch, p.highWatermark(), p.logStartOffset());
        }).recover(e -> {
          log.warn("Appending what broker {} sent for {} at offset {} failed: {}; truncating again", leaderId,
              s.partition.topicPartition(), fetchOffset, e.toString());
          s.truncating = true;
          backOff(s);
          return Future.succeededFuture();
        });
      }
      case OFFSET_OUT_OF_RANGE -> {
        return onOwner(s, () -> {
          PartitionLog plog = s.partition.log();
          if (p.logStartOffset() >= 0 && fetchOffset < p.logStartOffset()) {
            log.info("{} starts at {} on leader {}, past this replica's end {}: starting over there",
                s.partition.topicPartition(), p.logStartOffset(), leaderId, fetchOffset);
            plog.truncateFullyAndStartAt(p.logStartOffset());
          } else {
            s.truncating = true;
          }
        });
      }
      default -> {
        log.debug("Fetch of {} from broker {}: {}", s.partition.topicPartition(), leaderId, error);
        backOff(s);
        return Future.succeededFuture();
      }
    }
  }

  /** Runs a log operation on the partition's owner if it still follows at the state's epoch. */
  private Future<Void> onOwner(State s, Runnable op) {
    return s.partition.onOwner(() -> {
      if (s.partition.followsAt(s.leaderEpoch)) {
        op.run();
      }
      return null;
    }).transform(ar -> {
      // back on the fetcher's context
      io.vertx.core.Promise<Void> p = context.promise();
      if (ar.succeeded()) {
        p.complete();
      } else {
        p.fail(ar.cause());
      }
      return p.future();
    });
  }
}
