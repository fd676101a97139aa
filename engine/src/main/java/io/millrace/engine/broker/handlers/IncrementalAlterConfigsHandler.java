package io.millrace.engine.broker.handlers;

import io.millrace.engine.metadata.Controller;
import io.millrace.engine.metadata.Controller.ConfigChange;
import io.millrace.engine.metadata.Controller.ConfigOp;
import io.millrace.engine.protocol.ApiHandler;
import io.millrace.engine.protocol.ApiRequest;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;

/**
 * IncrementalAlterConfigs 0-1: SET, DELETE, APPEND and SUBTRACT on single topic config keys.
 * Changes take effect on the partitions at once (the broker applies each new image's configs).
 */
public final class IncrementalAlterConfigsHandler implements ApiHandler<IncrementalAlterConfigsRequest> {

  private final Controller controller;

  public IncrementalAlterConfigsHandler(Controller controller) {
    this.controller = controller;
  }

  @Override
  public ApiKeys apiKey() {
    return ApiKeys.INCREMENTAL_ALTER_CONFIGS;
  }

  @Override
  public Future<ApiMessage> handle(ApiRequest<IncrementalAlterConfigsRequest> request) {
    Map<String, ConfigChange> changes = new LinkedHashMap<>();
    Map<AlterConfigsResource, ApiError> rejected = new LinkedHashMap<>();
    for (AlterConfigsResource resource : request.body().data().resources()) {
      ApiError problem = ConfigResources.check(resource.resourceType(), resource.resourceName(), changes.keySet());
      List<ConfigOp> ops = new ArrayList<>();
      for (AlterableConfig c : resource.configs()) {
        if (problem != null) {
          break;
        }
        AlterConfigOp.OpType type;
        try {
          type = AlterConfigOp.OpType.forId(c.configOperation());
        } catch (RuntimeException e) {
          type = null;
        }
        if (type == null) {
          problem = new ApiError(Errors.INVALID_REQUEST, "Unknown config operation " + c.configOperation()
              + " for " + c.name() + ".");
        } else {
          ops.add(new ConfigOp(c.name(), type, c.value()));
        }
      }
      if (problem != null) {
        rejected.put(resource, problem);
      } else {
        changes.put(resource.resourceName(), new ConfigChange.Incremental(ops));
      }
    }
    Future<Map<String, ApiError>> applied = changes.isEmpty()
        ? Future.succeededFuture(Map.of())
        : controller.alterTopicConfigs(changes, request.body().data().validateOnly());
    return applied.map(results -> {
      IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData();
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
