package io.millrace.engine.broker.handlers;

import io.millrace.engine.metadata.Controller;
import io.millrace.engine.metadata.Controller.NewTopic;
import io.millrace.engine.metadata.MetadataImage;
import io.millrace.engine.metadata.PartitionImage;
import io.millrace.engine.metadata.TopicImage;
import io.millrace.engine.protocol.ApiHandler;
import io.millrace.engine.protocol.ApiRequest;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.MetadataRequestData.MetadataRequestTopic;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.MetadataRequest;

/**
 * Metadata 0-13: brokers (as reachable on the listener the request came in on), cluster and
 * controller ids, and topics with their partitions' leaders, epochs, replicas and ISR. A topic
 * that does not exist is created first when {@code auto.create.topics.enable} is on and the client
 * allows it, so the answer already describes it.
 */
public final class MetadataHandler implements ApiHandler<MetadataRequest> {

  private final Controller controller;
  private final boolean autoCreateTopics;

  public MetadataHandler(Controller controller, boolean autoCreateTopics) {
    this.controller = controller;
    this.autoCreateTopics = autoCreateTopics;
  }

  @Override
  public ApiKeys apiKey() {
    return ApiKeys.METADATA;
  }

  @Override
  public Future<ApiMessage> handle(ApiRequest<MetadataRequest> request) {
    MetadataRequest body = request.body();
    MetadataImage image = controller.image();
    if (body.isAllTopics()) {
      return Future.succeededFuture(response(request, image, new ArrayList<>(image.topics().keySet()), List.of()));
    }
    List<String> names = new ArrayList<>();
    List<MetadataResponseTopic> byIdErrors = new ArrayList<>();
    for (MetadataRequestTopic t : body.data().topics()) {
      if (t.name() == null || t.name().isEmpty()) {
        TopicImage topic = t.topicId() == null ? null : image.topic(t.topicId());
        if (topic == null) {
          byIdErrors.add(new MetadataResponseTopic().setTopicId(t.topicId())
              .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()));
        } else {
          names.add(topic.name());
        }
      } else {
        names.add(t.name());
      }
    }
    boolean allowCreate = autoCreateTopics && (request.version() < 4 || body.allowAutoTopicCreation());
    List<NewTopic> toCreate = new ArrayList<>();
    if (allowCreate) {
      for (String name : new LinkedHashSet<>(names)) {
        if (image.topic(name) == null && Topic.isValid(name) && !Topic.isInternal(name)) {
          toCreate.add(NewTopic.withDefaults(name));
        }
      }
    }
    if (toCreate.isEmpty()) {
      return Future.succeededFuture(response(request, image, names, byIdErrors));
    }
    // Errors (a concurrent creation, a name collision) show up as the topic's state below.
    return controller.createTopics(toCreate, false)
        .transform(ar -> Future.succeededFuture(response(request, controller.image(), names, byIdErrors)));
  }

  private static ApiMessage response(ApiRequest<MetadataRequest> request, MetadataImage image, List<String> names,
      List<MetadataResponseTopic> extra) {
    MetadataResponseData response = new MetadataResponseData()
        .setClusterId(image.clusterId())
        .setControllerId(image.controllerId());
    for (ClusterView.Node node : ClusterView.nodes(image, request.connection().listenerName())) {
      response.brokers().add(new MetadataResponseBroker().setNodeId(node.id()).setHost(node.host())
          .setPort(node.port()).setRack(node.rack()));
    }
    Set<String> done = new LinkedHashSet<>();
    for (String name : names) {
      if (done.add(name)) {
        response.topics().add(topic(image, name));
      }
    }
    extra.forEach(t -> response.topics().add(t));
    return response;
  }

  private static MetadataResponseTopic topic(MetadataImage image, String name) {
    TopicImage topic = image.topic(name);
    if (topic == null) {
      Errors error = Topic.isValid(name) ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.INVALID_TOPIC_EXCEPTION;
      return new MetadataResponseTopic().setName(name).setTopicId(Uuid.ZERO_UUID).setErrorCode(error.code());
    }
    MetadataResponseTopic out = new MetadataResponseTopic()
        .setName(name)
        .setTopicId(topic.id())
        .setIsInternal(Topic.isInternal(name));
    for (PartitionImage p : topic.partitions()) {
      boolean leaderKnown = p.leader() >= 0 && image.brokers().containsKey(p.leader());
      out.partitions().add(new MetadataResponsePartition()
          .setPartitionIndex(p.partition())
          .setErrorCode(leaderKnown ? Errors.NONE.code() : Errors.LEADER_NOT_AVAILABLE.code())
          .setLeaderId(p.leader())
          .setLeaderEpoch(p.leaderEpoch())
          .setReplicaNodes(new ArrayList<>(p.replicas()))
          .setIsrNodes(new ArrayList<>(p.isr()))
          .setOfflineReplicas(new ArrayList<>(p.replicas().stream().filter(id -> !image.isLive(id)).toList())));
    }
    return out;
  }
}
