package io.millrace.engine.metadata;

import io.millrace.engine.metadata.MetadataChanges.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Controller} of a broker in a cluster. Reads come from this broker's view: the newest
 * committed image its {@link MetadataAcceptor} has applied. Changes go to the active controller:
 * run here when this broker is it ({@link QuorumController}), otherwise sent to it over the
 * {@link ControllerChannel} and retried, with whichever broker is controller by then, until
 * {@code cluster.controller.request.timeout.ms}. The answer comes once the change is committed.
 *
 * <p>Every broker also serves the channel: requests reaching a broker that is not the active
 * controller answer NOT_CONTROLLER, and the sender looks again.
 *
 * <p>Thread-safe.
 */
public final class ClusterController implements Controller {

  private static final Logger log = LoggerFactory.getLogger(ClusterController.class);
  private static final long RETRY_BACKOFF_MS = 100;

  private final Vertx vertx;
  private final int nodeId;
  private final MetadataAcceptor acceptor;
  private final QuorumController quorum;
  private final ControllerChannel channel;
  private final int requestTimeoutMs;

  public ClusterController(Vertx vertx, int nodeId, MetadataAcceptor acceptor, QuorumController quorum,
      ControllerChannel channel, int requestTimeoutMs) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.acceptor = acceptor;
    this.quorum = quorum;
    this.channel = channel;
    this.requestTimeoutMs = requestTimeoutMs;
    channel.serve(this::serve);
  }

  /** This broker's view: the newest applied image, or an empty one before the first. */
  @Override
  public MetadataImage image() {
    MetadataImage applied = acceptor.applied();
    if (applied != null) {
      return applied;
    }
    return MetadataImage.empty(acceptor.stored().map(MetadataImage::clusterId).orElse(""), -1);
  }

  @Override
  public void addListener(MetadataListener listener) {
    acceptor.addListener(listener);
  }

  /**
   * The broker id requests go to now: this one if active, else the controller of the newest ballot
   * this broker knows of (promised in a claim, or the writer of the newest image it applied).
   */
  public int controllerId() {
    if (quorum.isActive()) {
      return nodeId;
    }
    Ballot newest = acceptor.promised();
    MetadataImage applied = acceptor.applied();
    if (applied != null && applied.ballot().isAbove(newest)) {
      newest = applied.ballot();
    }
    return newest.nodeId();
  }

  // ---------------------------------------------------------------- requests

  @Override
  public Future<Void> registerBroker(BrokerRegistration broker) {
    return call("register", new JsonObject().put("broker", ControllerCodec.broker(broker)), r -> null);
  }

  @Override
  public Future<Map<String, TopicCreation>> createTopics(List<NewTopic> topics, boolean validateOnly) {
    return call("createTopics", new JsonObject().put("topics", ControllerCodec.newTopics(topics))
        .put("validateOnly", validateOnly), r -> ControllerCodec.creations(r.getJsonObject("result")));
  }

  @Override
  public Future<Map<String, ApiError>> deleteTopics(Collection<String> names) {
    return call("deleteTopics", new JsonObject().put("names", new io.vertx.core.json.JsonArray(List.copyOf(names))),
        r -> ControllerCodec.errors(r.getJsonObject("result")));
  }

  @Override
  public Future<Map<String, ApiError>> createPartitions(List<NewPartitions> requests, boolean validateOnly) {
    return call("createPartitions", new JsonObject().put("requests", ControllerCodec.newPartitions(requests))
        .put("validateOnly", validateOnly), r -> ControllerCodec.errors(r.getJsonObject("result")));
  }

  @Override
  public Future<Map<String, ApiError>> alterTopicConfigs(Map<String, ConfigChange> changes, boolean validateOnly) {
    return call("alterTopicConfigs", new JsonObject().put("changes", ControllerCodec.configChanges(changes))
        .put("validateOnly", validateOnly), r -> ControllerCodec.errors(r.getJsonObject("result")));
  }

  @Override
  public Future<ProducerIdBlock> allocateProducerIds() {
    return call("allocateProducerIds", new JsonObject(), r -> ControllerCodec.producerIds(r.getJsonObject("result")));
  }

  @Override
  public Future<ReplicaChanges.IsrResult> alterPartition(ReplicaChanges.IsrChange change) {
    return call("alterPartition", new JsonObject().put("change", ControllerCodec.isrChange(change)),
        r -> ControllerCodec.isrResult(r.getJsonObject("result")));
  }

  @Override
  public Future<Map<TopicPartition, ApiError>> electLeaders(ReplicaChanges.ElectionType type,
      List<TopicPartition> partitions) {
    return call("electLeaders", new JsonObject().put("type", type.name())
        .put("partitions", ControllerCodec.partitions(partitions)),
        r -> ControllerCodec.partitionErrors(r.getJsonArray("result")));
  }

  @Override
  public Future<Void> controlledShutdown(int brokerId) {
    return call("controlledShutdown", new JsonObject().put("brokerId", brokerId), r -> null);
  }

  /** Sends a request to the controller (this broker or another), retrying until the timeout. */
  private <T> Future<T> call(String action, JsonObject request, Function<JsonObject, T> decode) {
    Promise<T> result = Promise.promise();
    long deadline = System.currentTimeMillis() + requestTimeoutMs;
    attempt(action, request, decode, deadline, result, null, -1);
    return result.future();
  }

  /**
   * One try: at {@code hint} (the controller another broker named) if given, else at the
   * controller this broker knows of.
   */
  private <T> void attempt(String action, JsonObject request, Function<JsonObject, T> decode, long deadline,
      Promise<T> result, Throwable last, int hint) {
    long left = deadline - System.currentTimeMillis();
    if (left <= 0) {
      result.tryFail(last instanceof org.apache.kafka.common.errors.ApiException api ? api
          : new TimeoutException("no controller answered " + action + " within " + requestTimeoutMs + " ms"
              + (last == null ? "" : ": " + last.getMessage())));
      return;
    }
    int known = controllerId();
    int target = hint >= 0 && !(hint == nodeId && !quorum.isActive()) ? hint : known;
    Future<JsonObject> sent;
    if (target < 0) {
      sent = Future.failedFuture(new NotControllerException("no controller is known yet"));
    } else if (target == nodeId) {
      sent = serve(action, request);
    } else {
      sent = channel.send(target, action, request, left);
    }
    sent.onComplete(ar -> {
      if (ar.succeeded() && !ar.result().containsKey("notController")) {
        JsonObject reply = ar.result();
        if (reply.containsKey("code")) {
          result.tryFail(Errors.forCode(reply.getInteger("code").shortValue()).exception(reply.getString("message")));
          return;
        }
        try {
          result.tryComplete(decode.apply(reply));
        } catch (RuntimeException e) {
          result.tryFail(e);
        }
        return;
      }
      Throwable why = ar.failed() ? ar.cause() : new NotControllerException(ar.result().getString("notController"));
      int next = ar.succeeded() ? ar.result().getInteger("controllerId", -1) : -1;
      log.debug("{} to controller {} failed ({}); trying again", action, target, why.toString());
      vertx.setTimer(RETRY_BACKOFF_MS, t -> attempt(action, request, decode, deadline, result, why,
          next == target ? -1 : next));
    });
  }

  // ---------------------------------------------------------------- serving, on the controller

  private Future<JsonObject> serve(String action, JsonObject request) {
    if (!quorum.isActive()) {
      return Future.succeededFuture(new JsonObject().put("notController", "broker " + nodeId + " is not the controller")
          .put("controllerId", controllerId()));
    }
    Future<JsonObject> reply;
    try {
      reply = dispatch(action, request);
    } catch (RuntimeException e) {
      log.warn("Malformed controller request {}: {}", action, e.toString());
      return Future.succeededFuture(new JsonObject().put("code", Errors.INVALID_REQUEST.code())
          .put("message", "malformed " + action + " request: " + e.getMessage()));
    }
    return reply.recover(e -> {
      if (e instanceof NotControllerException) {
        return Future.succeededFuture(new JsonObject().put("notController", e.getMessage())
            .put("controllerId", controllerId()));
      }
      ApiError error = ApiError.fromThrowable(e);
      if (error.error() == Errors.UNKNOWN_SERVER_ERROR) {
        log.error("Controller request {} failed", action, e);
      }
      return Future.succeededFuture(new JsonObject().put("code", error.error().code()).put("message", error.message()));
    });
  }

  private Future<JsonObject> dispatch(String action, JsonObject r) {
    MetadataChanges changes = quorum.changes();
    ReplicaChanges replicas = quorum.replicaChanges();
    return switch (action) {
      case "register" -> {
        BrokerRegistration b = ControllerCodec.broker(r.getJsonObject("broker"));
        if (!quorum.isCurrentRun(b)) {
          // Registering a run the cluster does not (yet, or any more) see would unfence a ghost.
          yield Future.succeededFuture(new JsonObject().put("code", Errors.BROKER_ID_NOT_REGISTERED.code())
              .put("message", "broker " + b.id() + " run " + b.incarnation() + " is not a member of the cluster now"));
        }
        yield quorum.submit(img -> new Outcome<>(replicas.register(img, b), null)).map(v -> new JsonObject());
      }
      case "createTopics" -> {
        var topics = ControllerCodec.newTopics(r.getJsonArray("topics"));
        boolean validateOnly = r.getBoolean("validateOnly");
        yield quorum.submit(img -> changes.createTopics(img, topics, validateOnly))
            .map(res -> new JsonObject().put("result", ControllerCodec.creations(res)));
      }
      case "deleteTopics" -> {
        List<String> names = r.getJsonArray("names").stream().map(String::valueOf).toList();
        yield quorum.submit(img -> changes.deleteTopics(img, names))
            .map(res -> new JsonObject().put("result", ControllerCodec.errors(res)));
      }
      case "createPartitions" -> {
        var requests = ControllerCodec.newPartitions(r.getJsonArray("requests"));
        boolean validateOnly = r.getBoolean("validateOnly");
        yield quorum.submit(img -> changes.createPartitions(img, requests, validateOnly))
            .map(res -> new JsonObject().put("result", ControllerCodec.errors(res)));
      }
      case "alterTopicConfigs" -> {
        var configChanges = ControllerCodec.configChanges(r.getJsonObject("changes"));
        boolean validateOnly = r.getBoolean("validateOnly");
        yield quorum.submit(img -> changes.alterTopicConfigs(img, configChanges, validateOnly))
            .map(res -> new JsonObject().put("result", ControllerCodec.errors(res)));
      }
      case "allocateProducerIds" -> quorum.submit(img -> changes.allocateProducerIds(img,
              LocalController.PRODUCER_ID_BLOCK_SIZE))
          .map(res -> new JsonObject().put("result", ControllerCodec.producerIds(res)));
      case "alterPartition" -> {
        var change = ControllerCodec.isrChange(r.getJsonObject("change"));
        yield quorum.submit(img -> replicas.alterPartition(img, change))
            .map(res -> new JsonObject().put("result", ControllerCodec.isrResult(res)));
      }
      case "electLeaders" -> {
        var type = ReplicaChanges.ElectionType.valueOf(r.getString("type"));
        var partitions = ControllerCodec.partitions(r.getJsonArray("partitions"));
        yield quorum.submit(img -> replicas.electLeaders(img, type, partitions))
            .map(res -> new JsonObject().put("result", ControllerCodec.partitionErrors(res)));
      }
      case "controlledShutdown" -> {
        int brokerId = r.getInteger("brokerId");
        yield quorum.submit(img -> {
          MetadataImage next = replicas.fence(img, brokerId);
          return new Outcome<>(next == img ? null : next, null);
        }).map(v -> new JsonObject());
      }
      default -> Future.succeededFuture(new JsonObject().put("code", Errors.INVALID_REQUEST.code())
          .put("message", "unknown controller action " + action));
    };
  }
}
