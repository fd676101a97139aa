package io.millrace.engine.cluster;

import io.millrace.engine.metadata.Ballot;
import io.millrace.engine.metadata.ControllerChannel;
import io.millrace.engine.metadata.MetadataAcceptor;
import io.millrace.engine.metadata.MetadataAcceptor.AcceptReply;
import io.millrace.engine.metadata.MetadataAcceptor.ClaimReply;
import io.millrace.engine.metadata.MetadataAcceptor.CommitReply;
import io.millrace.engine.metadata.MetadataImage;
import io.millrace.engine.metadata.MetadataStore;
import io.millrace.engine.metadata.QuorumTransport;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane between brokers over the clustered Vert.x event bus: the metadata quorum's
 * claim/accept/commit messages to each broker's {@link MetadataAcceptor}
 * ({@code millrace.quorum.<id>}) and requests to the controller ({@code millrace.controller.<id>}).
 * Bodies are JSON; images travel in the metadata file's JSON form. Data (records) never goes this
 * way: followers fetch over the brokers' Kafka listeners.
 *
 * <p>Thread-safe.
 */
public final class EventBusTransport implements QuorumTransport, ControllerChannel, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EventBusTransport.class);

  private final ClusterNode node;
  private final MetadataAcceptor acceptor;
  private final long timeoutMs;
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();

  public EventBusTransport(ClusterNode node, MetadataAcceptor acceptor, long timeoutMs) {
    this.node = node;
    this.acceptor = acceptor;
    this.timeoutMs = timeoutMs;
    consumers.add(node.vertx().eventBus().<JsonObject>consumer(quorumAddress(node.nodeId()), this::onQuorumMessage));
  }

  static String quorumAddress(int brokerId) {
    return "millrace.quorum." + brokerId;
  }

  static String controllerAddress(int brokerId) {
    return "millrace.controller." + brokerId;
  }

  // ---------------------------------------------------------------- quorum, controller side

  @Override
  public Future<ClaimReply> claim(int brokerId, Ballot ballot) {
    return request(quorumAddress(brokerId), "claim", ballot(new JsonObject(), ballot), timeoutMs).map(r ->
        new ClaimReply(r.getBoolean("promised"), ballot(r.getJsonObject("highest")),
            r.getJsonObject("stored") == null ? null : MetadataStore.fromJson(r.getJsonObject("stored"))));
  }

  @Override
  public Future<AcceptReply> accept(int brokerId, Ballot ballot, MetadataImage image) {
    return request(quorumAddress(brokerId), "accept", ballot(new JsonObject(), ballot)
        .put("image", MetadataStore.toJson(image)), timeoutMs)
        .map(r -> new AcceptReply(r.getBoolean("accepted"), ballot(r.getJsonObject("highest"))));
  }

  @Override
  public Future<CommitReply> commit(int brokerId, Ballot ballot, long version, MetadataImage image) {
    JsonObject body = ballot(new JsonObject(), ballot).put("version", version);
    if (image != null) {
      body.put("image", MetadataStore.toJson(image));
    }
    return request(quorumAddress(brokerId), "commit", body, timeoutMs)
        .map(r -> new CommitReply(r.getBoolean("needImage"), r.getLong("appliedVersion")));
  }

  @Override
  public Map<Integer, String> members() {
    return node.members();
  }

  @Override
  public void onMembershipChange(Runnable callback) {
    node.onMembershipChange(callback);
  }

  // ---------------------------------------------------------------- quorum, broker side

  private void onQuorumMessage(Message<JsonObject> message) {
    String action = message.headers().get("action");
    JsonObject body = message.body();
    Future<JsonObject> reply;
    try {
      Ballot b = ballot(body.getJsonObject("ballot"));
      reply = switch (action == null ? "" : action) {
        case "claim" -> acceptor.claim(b).map(r -> new JsonObject().put("promised", r.promised())
            .put("highest", ballotJson(r.highestPromise()))
            .put("stored", r.stored() == null ? null : MetadataStore.toJson(r.stored())));
        case "accept" -> acceptor.accept(b, MetadataStore.fromJson(body.getJsonObject("image")))
            .map(r -> new JsonObject().put("accepted", r.accepted()).put("highest", ballotJson(r.highestPromise())));
        case "commit" -> acceptor.commit(b, body.getLong("version"),
                body.getJsonObject("image") == null ? null : MetadataStore.fromJson(body.getJsonObject("image")))
            .map(r -> new JsonObject().put("needImage", r.needImage()).put("appliedVersion", r.appliedVersion()));
        default -> Future.failedFuture("unknown quorum action " + action);
      };
    } catch (RuntimeException e) {
      log.warn("Malformed quorum message {}: {}", action, e.toString());
      message.fail(400, "malformed " + action + ": " + e.getMessage());
      return;
    }
    reply.onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result());
      } else {
        log.warn("Quorum {} failed: {}", action, ar.cause().toString());
        message.fail(500, String.valueOf(ar.cause().getMessage()));
      }
    });
  }

  // ---------------------------------------------------------------- controller channel

  @Override
  public Future<JsonObject> send(int controllerId, String action, JsonObject request, long requestTimeoutMs) {
    return request(controllerAddress(controllerId), action, request, requestTimeoutMs);
  }

  @Override
  public void serve(BiFunction<String, JsonObject, Future<JsonObject>> handler) {
    consumers.add(node.vertx().eventBus().<JsonObject>consumer(controllerAddress(node.nodeId()), message -> {
      String action = message.headers().get("action");
      handler.apply(action, message.body()).onComplete(ar -> {
        if (ar.succeeded()) {
          message.reply(ar.result());
        } else {
          message.fail(500, String.valueOf(ar.cause().getMessage()));
        }
      });
    }));
  }

  private Future<JsonObject> request(String address, String action, JsonObject body, long timeout) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(Math.max(1, timeout)).addHeader("action", action);
    return node.vertx().eventBus().<JsonObject>request(address, body, options).map(Message::body);
  }

  private static JsonObject ballot(JsonObject into, Ballot b) {
    return into.put("ballot", ballotJson(b));
  }

  private static JsonObject ballotJson(Ballot b) {
    return new JsonObject().put("epoch", b.epoch()).put("node", b.nodeId());
  }

  private static Ballot ballot(JsonObject json) {
    return new Ballot(json.getLong("epoch"), json.getInteger("node"));
  }

  @Override
  public void close() {
    consumers.forEach(MessageConsumer::unregister);
  }
}
