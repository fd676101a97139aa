package io.millrace.engine.broker.handlers;

import io.millrace.engine.broker.TopicConfigCatalog;
import io.millrace.engine.config.BrokerConfig;
import io.millrace.engine.metadata.Controller;
import io.millrace.engine.metadata.TopicImage;
import io.millrace.engine.protocol.ApiHandler;
import io.millrace.engine.protocol.ApiRequest;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;

/**
 * DescribeConfigs 1-4 for topics (every topic config with its effective value and where it comes
 * from) and for this broker (every broker key; all static, so read-only). Synonyms and
 * documentation when asked for.
 */
public final class DescribeConfigsHandler implements ApiHandler<DescribeConfigsRequest> {

  private final Controller controller;
  private final TopicConfigCatalog topicConfigs;
  private final BrokerConfig broker;

  public DescribeConfigsHandler(Controller controller, TopicConfigCatalog topicConfigs, BrokerConfig broker) {
    this.controller = controller;
    this.topicConfigs = topicConfigs;
    this.broker = broker;
  }

  @Override
  public ApiKeys apiKey() {
    return ApiKeys.DESCRIBE_CONFIGS;
  }

  @Override
  public Future<ApiMessage> handle(ApiRequest<DescribeConfigsRequest> request) {
    boolean synonyms = request.body().data().includeSynonyms();
    boolean docs = request.body().data().includeDocumentation();
    DescribeConfigsResponseData response = new DescribeConfigsResponseData();
    for (DescribeConfigsResource resource : request.body().data().resources()) {
      DescribeConfigsResult result = new DescribeConfigsResult()
          .setResourceType(resource.resourceType()).setResourceName(resource.resourceName());
      ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
      if (type == ConfigResource.Type.TOPIC) {
        TopicImage topic = controller.image().topic(resource.resourceName());
        if (topic == null) {
          result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
              .setErrorMessage("Topic " + resource.resourceName() + " does not exist.");
        } else {
          for (TopicConfigCatalog.Entry e : topicConfigs.describe(topic.configs())) {
            if (wanted(resource, e.name())) {
              result.configs().add(entry(e, false, synonyms, docs));
            }
          }
        }
      } else if (type == ConfigResource.Type.BROKER) {
        if (!resource.resourceName().isEmpty() && !resource.resourceName().equals(String.valueOf(broker.nodeId()))) {
          result.setErrorCode(Errors.INVALID_REQUEST.code())
              .setErrorMessage("This is broker " + broker.nodeId() + ", not " + resource.resourceName() + ".");
        } else {
          for (ConfigKey key : BrokerConfig.CONFIG_DEF.configKeys().values()) {
            if (wanted(resource, key.name)) {
              result.configs().add(entry(brokerEntry(key), true, synonyms, docs));
            }
          }
        }
      } else {
        result.setErrorCode(Errors.INVALID_REQUEST.code())
            .setErrorMessage("Resource type " + type + " has no configs on this broker; TOPIC and BROKER do.");
      }
      response.results().add(result);
    }
    return Future.succeededFuture(response);
  }

  private TopicConfigCatalog.Entry brokerEntry(ConfigKey key) {
    boolean set = broker.isSet(key.name);
    String value = TopicConfigCatalog.format(broker.parsedValues().get(key.name));
    List<TopicConfigCatalog.Synonym> synonyms = new ArrayList<>();
    if (set) {
      synonyms.add(new TopicConfigCatalog.Synonym(key.name, value, ConfigSource.STATIC_BROKER_CONFIG));
    }
    synonyms.add(new TopicConfigCatalog.Synonym(key.name, TopicConfigCatalog.format(key.defaultValue),
        ConfigSource.DEFAULT_CONFIG));
    return new TopicConfigCatalog.Entry(key.name, value,
        set ? ConfigSource.STATIC_BROKER_CONFIG : ConfigSource.DEFAULT_CONFIG,
        TopicConfigCatalog.typeOf(key.type), key.documentation, synonyms);
  }

  private static boolean wanted(DescribeConfigsResource resource, String name) {
    return resource.configurationKeys() == null || resource.configurationKeys().isEmpty()
        || resource.configurationKeys().contains(name);
  }

  private static DescribeConfigsResourceResult entry(TopicConfigCatalog.Entry e, boolean readOnly,
      boolean withSynonyms, boolean withDocs) {
    DescribeConfigsResourceResult r = new DescribeConfigsResourceResult()
        .setName(e.name()).setValue(e.value()).setReadOnly(readOnly)
        .setConfigSource(e.source().id()).setIsSensitive(false)
        .setConfigType(e.type().id())
        .setDocumentation(withDocs ? e.documentation() : null);
    if (withSynonyms) {
      e.synonyms().forEach(s -> r.synonyms().add(new DescribeConfigsSynonym()
          .setName(s.name()).setValue(s.value()).setSource(s.source().id())));
    }
    return r;
  }
}
