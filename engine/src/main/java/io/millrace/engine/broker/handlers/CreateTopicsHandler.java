package io.millrace.engine.broker.handlers;

import io.millrace.engine.broker.TopicConfigCatalog;
import io.millrace.engine.metadata.Controller;
import io.millrace.engine.metadata.Controller.NewTopic;
import io.millrace.engine.metadata.Controller.TopicCreation;
import io.millrace.engine.metadata.TopicImage;
import io.millrace.engine.protocol.ApiHandler;
import io.millrace.engine.protocol.ApiRequest;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableReplicaAssignment;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicConfig;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicConfigs;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateTopicsRequest;

/**
 * CreateTopics 2-7: creates topics through the controller (or only validates them), answering
 * per topic, with the topic's id, partition count, replication factor and effective configs
 * (v5+).
 */
public final class CreateTopicsHandler implements ApiHandler<CreateTopicsRequest> {

  private final Controller controller;
  private final TopicConfigCatalog configs;

  public CreateTopicsHandler(Controller controller, TopicConfigCatalog configs) {
    this.controller = controller;
    this.configs = configs;
  }

  @Override
  public ApiKeys apiKey() {
    return ApiKeys.CREATE_TOPICS;
  }

  @Override
  public Future<ApiMessage> handle(ApiRequest<CreateTopicsRequest> request) {
    List<NewTopic> topics = new ArrayList<>();
    for (CreatableTopic t : request.body().data().topics()) {
      Map<Integer, List<Integer>> assignments = new LinkedHashMap<>();
      for (CreatableReplicaAssignment a : t.assignments()) {
        assignments.put(a.partitionIndex(), a.brokerIds());
      }
      Map<String, String> overrides = new LinkedHashMap<>();
      for (CreatableTopicConfig c : t.configs()) {
        overrides.put(c.name(), c.value());
      }
      topics.add(new NewTopic(t.name(), t.numPartitions(), t.replicationFactor(), assignments,
          java.util.Collections.unmodifiableMap(overrides)));
    }
    return controller.createTopics(topics, request.body().data().validateOnly())
        .map(results -> response(request.version(), results));
  }

  private ApiMessage response(short version, Map<String, TopicCreation> results) {
    CreateTopicsResponseData response = new CreateTopicsResponseData();
    results.forEach((name, creation) -> {
      CreatableTopicResult r = new CreatableTopicResult()
          .setName(name)
          .setErrorCode(creation.error().error().code())
          .setErrorMessage(creation.error().message())
          .setTopicId(Uuid.ZERO_UUID);
      TopicImage topic = creation.topic();
      if (topic != null) {
        r.setTopicId(topic.id())
            .setNumPartitions(topic.numPartitions())
            .setReplicationFactor((short) topic.partition(0).replicas().size());
        if (version >= 5) {
          List<CreatableTopicConfigs> described = new ArrayList<>();
          for (TopicConfigCatalog.Entry e : configs.describe(topic.configs())) {
            described.add(new CreatableTopicConfigs().setName(e.name()).setValue(e.value())
                .setConfigSource(e.source().id()).setReadOnly(false).setIsSensitive(false));
          }
          r.setConfigs(described).setTopicConfigErrorCode(Errors.NONE.code());
        }
      }
      response.topics().add(r);
    });
    return response;
  }
}
