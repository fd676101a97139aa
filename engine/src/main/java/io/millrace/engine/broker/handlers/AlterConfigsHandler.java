package io.millrace.engine.broker.handlers;

import io.millrace.engine.metadata.Controller;
import io.millrace.engine.metadata.Controller.ConfigChange;
import io.millrace.engine.protocol.ApiHandler;
import io.millrace.engine.protocol.ApiRequest;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.AlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AlterConfigsRequest;
import org.apache.kafka.common.requests.ApiError;

/**
 * AlterConfigs 0-2 (the legacy, replace-everything form): a topic's overrides become exactly the
 * given set. Broker configs are static (server.properties) and answer INVALID_REQUEST.
 */
public final class AlterConfigsHandler implements ApiHandler<AlterConfigsRequest> {

  private final Controller controller;

  public AlterConfigsHandler(Controller controller) {
    this.controller = controller;
  }

  @Override
  public ApiKeys apiKey() {
    return ApiKeys.ALTER_CONFIGS;
  }

  @Override
  public Future<ApiMessage> handle(ApiRequest<AlterConfigsRequest> request) {
    Map<String, ConfigChange> changes = new LinkedHashMap<>();
    Map<AlterConfigsResource, ApiError> rejected = new LinkedHashMap<>();
    for (AlterConfigsResource resource : request.body().data().resources()) {
      ApiError problem = ConfigResources.check(resource.resourceType(), resource.resourceName(), changes.keySet());
      if (problem != null) {
        rejected.put(resource, problem);
        continue;
      }
      Map<String, String> configs = new LinkedHashMap<>();
      for (AlterableConfig c : resource.configs()) {
        configs.put(c.name(), c.value());
      }
      changes.put(resource.resourceName(), new ConfigChange.Replace(java.util.Collections.unmodifiableMap(configs)));
    }
    Future<Map<String, ApiError>> applied = changes.isEmpty()
        ? Future.succeededFuture(Map.of())
        : controller.alterTopicConfigs(changes, request.body().data().validateOnly());
    return applied.map(results -> {
      AlterConfigsResponseData response = new AlterConfigsResponseData();
      rejected.forEach((resource, error) -> response.responses().add(result(resource.resourceType(),
          resource.resourceName(), error)));
      results.forEach((topic, error) -> response.responses().add(result(ConfigResource.Type.TOPIC.id(), topic, error)));
      return response;
    });
  }

  private static AlterConfigsResourceResponse result(byte type, String name, ApiError error) {
    return new AlterConfigsResourceResponse().setResourceType(type).setResourceName(name)
        .setErrorCode(error.error().code()).setErrorMessage(error.isSuccess() ? null : error.message());
  }
}
