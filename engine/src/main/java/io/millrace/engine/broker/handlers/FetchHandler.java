package io.millrace.engine.broker.handlers;

import io.millrace.engine.broker.HostedPartitions;
import io.millrace.engine.log.FetchDataInfo;
import io.millrace.engine.log.PartitionLog;
import io.millrace.engine.metadata.Controller;
import io.millrace.engine.protocol.ApiHandler;
import io.millrace.engine.protocol.ApiRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.FetchRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetch 4-18 for consumers: reads up to the high watermark, within the request's and the broker's
 * byte limits ({@code fetch.max.bytes}), the first batch whole even if it is bigger (so a consumer
 * always makes progress). Record bytes are slices of the segment files, sent with sendfile.
 *
 * <p>Long polling: with fewer than {@code min.bytes} available and no errors, the fetch waits up
 * to {@code max.wait.ms} for any of its partitions' high watermarks to move, reading again on
 * each move. Fetch sessions are declined: every response has session id 0, so clients send full
 * requests; a request naming a session gets FETCH_SESSION_ID_NOT_FOUND.
 */
public final class FetchHandler implements ApiHandler<FetchRequest> {

  private static final Logger log = LoggerFactory.getLogger(FetchHandler.class);

  private final PartitionResolver resolver;
  private final Vertx vertx;
  private final int brokerMaxBytes;

  public FetchHandler(Vertx vertx, HostedPartitions hosted, Controller controller, int brokerMaxBytes) {
    this.vertx = vertx;
    this.resolver = new PartitionResolver(hosted, controller);
    this.brokerMaxBytes = brokerMaxBytes;
  }

  @Override
  public ApiKeys apiKey() {
    return ApiKeys.FETCH;
  }

  @Override
  public Future<ApiMessage> handle(ApiRequest<FetchRequest> request) {
    FetchRequestData data = request.body().data();
    if (data.sessionId() != 0) {
      return Future.succeededFuture(new FetchResponseData().setSessionId(0)
          .setErrorCode(Errors.FETCH_SESSION_ID_NOT_FOUND.code()));
    }
    boolean byId = request.version() >= 13;
    List<Target> targets = new ArrayList<>();
    for (FetchTopic topic : data.topics()) {
      for (FetchPartition p : topic.partitions()) {
        targets.add(new Target(topic, p, resolver.resolve(byId, topic.topic(), topic.topicId(), p.partition())));
      }
    }
    int maxBytes = Math.min(brokerMaxBytes, data.maxBytes() <= 0 ? Integer.MAX_VALUE : data.maxBytes());
    short version = request.version();
    int replicaId = request.body().replicaId();
    if (replicaId >= 0) {
      // A follower: its fetch offset is its log end; the leader tracks it for the ISR and the HW.
      for (Target t : targets) {
        if (t.resolved().ok() && t.resolved().partition().isFollower(replicaId)) {
          t.resolved().partition().onFollowerFetch(replicaId, t.request().fetchOffset(),
              t.request().currentLeaderEpoch());
        }
      }
    }
    Attempt first = read(targets, version, maxBytes, replicaId);
    if (first.done(data.minBytes()) || data.maxWaitMs() <= 0) {
      return Future.succeededFuture(sent(targets, first));
    }
    return new DelayedFetch(targets, version, maxBytes, data.minBytes(), data.maxWaitMs(), replicaId).start();
  }

  private record Target(FetchTopic topic, FetchPartition request, PartitionResolver.Resolved resolved) {}

  /** One pass over the partitions: the response, and what it holds. */
  private record Attempt(FetchResponseData response, long bytes, boolean errors) {
    boolean done(int minBytes) {
      return errors || bytes >= minBytes;
    }
  }

  /**
   * Counts the record bytes of the response that goes out, per topic. The response holds one
   * partition per target, in the targets' order.
   */
  private static FetchResponseData sent(List<Target> targets, Attempt attempt) {
    if (attempt.bytes == 0) {
      return attempt.response;
    }
    int i = 0;
    for (FetchableTopicResponse topic : attempt.response.responses()) {
      for (PartitionData p : topic.partitions()) {
        Target t = targets.get(i++);
        int bytes = p.records() == null ? 0 : p.records().sizeInBytes();
        if (bytes > 0 && t.resolved().ok()) {
          t.resolved().partition().metrics().recordFetch(bytes);
        }
      }
    }
    return attempt.response;
  }

  /**
   * Reads every target: up to the high watermark for consumers, up to the log end for followers
   * ({@code replicaId} >= 0, which must be replicas of the partition).
   */
  private Attempt read(List<Target> targets, short version, int maxBytes, int replicaId) {
    FetchResponseData response = new FetchResponseData().setSessionId(0);
    FetchableTopicResponse current = null;
    FetchTopic currentTopic = null;
    long bytes = 0;
    boolean errors = false;
    for (Target t : targets) {
      if (currentTopic != t.topic()) {
        currentTopic = t.topic();
        current = new FetchableTopicResponse().setTopic(version >= 13 ? "" : t.topic().topic()).setTopicId(t.topic().topicId());
        response.responses().add(current);
      }
      PartitionData out = new PartitionData().setPartitionIndex(t.request().partition())
          .setHighWatermark(-1).setLastStableOffset(-1).setLogStartOffset(-1)
          .setRecords(MemoryRecords.EMPTY);
      current.partitions().add(out);
      if (!t.resolved().ok()) {
        out.setErrorCode(t.resolved().error().code());
        errors = true;
        continue;
      }
      boolean notServed = replicaId >= 0 && !t.resolved().partition().isFollower(replicaId);
      if (t.resolved().partition().isClosed() || !t.resolved().partition().isLeader() || notServed) {
        // Moved away or the broker is stopping: the client asks the metadata where it is now.
        out.setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code());
        errors = true;
        continue;
      }
      PartitionLog partitionLog = t.resolved().partition().log();
      long highWatermark = partitionLog.highWatermark();
      out.setHighWatermark(highWatermark).setLastStableOffset(highWatermark)
          .setLogStartOffset(version >= 5 ? partitionLog.logStartOffset() : -1);
      try {
        t.resolved().partition().checkLeaderEpoch(t.request().currentLeaderEpoch());
        int limit = (int) Math.min(t.request().partitionMaxBytes(), Math.max(0, maxBytes - bytes));
        long upTo = replicaId >= 0 ? Long.MAX_VALUE : highWatermark;
        FetchDataInfo info = partitionLog.read(t.request().fetchOffset(), limit, upTo, bytes == 0);
        out.setRecords(info.records());
        bytes += info.records().sizeInBytes();
      } catch (ApiException e) {
        out.setErrorCode(Errors.forException(e).code());
        errors = true;
      } catch (RuntimeException e) {
        log.error("Fetch from {} at offset {} failed", t.resolved().partition().topicPartition(),
            t.request().fetchOffset(), e);
        out.setErrorCode(Errors.forException(e).code());
        errors = true;
      }
    }
    return new Attempt(response, bytes, errors);
  }

  /**
   * A fetch waiting for data: re-reads whenever one of its partitions' high watermark moves, and
   * answers when it has {@code minBytes}, on error, or when {@code maxWaitMs} runs out. Runs on
   * the connection's context.
   */
  private final class DelayedFetch {
    private final List<Target> targets;
    private final short version;
    private final int maxBytes;
    private final int minBytes;
    private final int maxWaitMs;
    private final Context context = Vertx.currentContext();
    private final Promise<ApiMessage> promise = Promise.promise();
    private final List<Runnable> cancels = new ArrayList<>();
    private final Runnable wake = this::onWake;
    private long timer;
    private boolean done;

    private final int replicaId;

    DelayedFetch(List<Target> targets, short version, int maxBytes, int minBytes, int maxWaitMs, int replicaId) {
      this.replicaId = replicaId;
      this.targets = targets;
      this.version = version;
      this.maxBytes = maxBytes;
      this.minBytes = minBytes;
      this.maxWaitMs = maxWaitMs;
    }

    Future<ApiMessage> start() {
      timer = vertx.setTimer(maxWaitMs, id -> finish(read(targets, version, maxBytes, replicaId)));
      // Registered before reading again, so data that arrived since the first read is not missed.
      register();
      check();
      return promise.future();
    }

    private void register() {
      cancels.clear();
      for (Target t : targets) {
        if (t.resolved().ok()) {
          // Followers wait for appends, consumers for the high watermark.
          cancels.add(replicaId >= 0 ? t.resolved().partition().awaitAppend(wake)
              : t.resolved().partition().awaitNewData(wake));
        }
      }
    }

    /**
     * Called on a partition's owner context (or at once, by {@link #register}, for a partition
     * that is closed); hops to ours. A closed partition answers the fetch at once: waiting on it
     * again would wake again at once, a busy loop that kept the event loop from stopping.
     */
    private void onWake() {
      context.runOnContext(v -> {
        if (done) {
          return;
        }
        cancels.forEach(Runnable::run);
        if (anyClosed()) {
          vertx.cancelTimer(timer);
          finish(read(targets, version, maxBytes, replicaId));
          return;
        }
        register();
        check();
      });
    }

    private boolean anyClosed() {
      for (Target t : targets) {
        if (t.resolved().ok() && t.resolved().partition().isClosed()) {
          return true;
        }
      }
      return false;
    }

    private void check() {
      Attempt attempt = read(targets, version, maxBytes, replicaId);
      if (attempt.done(minBytes)) {
        vertx.cancelTimer(timer);
        finish(attempt);
      }
    }

    private void finish(Attempt attempt) {
      if (done) {
        return;
      }
      done = true;
      cancels.forEach(Runnable::run);
      promise.complete(sent(targets, attempt));
    }
  }
}
