package io.millrace.engine.broker.handlers;

import io.millrace.engine.metadata.Controller;
import io.millrace.engine.metadata.MetadataImage;
import io.millrace.engine.metadata.TopicImage;
import io.millrace.engine.protocol.ApiHandler;
import io.millrace.engine.protocol.ApiRequest;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.DeleteTopicsRequestData.DeleteTopicState;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.DeleteTopicsRequest;

/**
 * DeleteTopics 1-6: by name, or by topic id from v6. With {@code delete.topic.enable=false} every
 * topic gets TOPIC_DELETION_DISABLED. The answer comes once the topic is gone from the metadata
 * and its logs are scheduled for deletion.
 */
public final class DeleteTopicsHandler implements ApiHandler<DeleteTopicsRequest> {

  private final Controller controller;
  private final boolean deleteEnabled;

  public DeleteTopicsHandler(Controller controller, boolean deleteEnabled) {
    this.controller = controller;
    this.deleteEnabled = deleteEnabled;
  }

  @Override
  public ApiKeys apiKey() {
    return ApiKeys.DELETE_TOPICS;
  }

  @Override
  public Future<ApiMessage> handle(ApiRequest<DeleteTopicsRequest> request) {
    MetadataImage image = controller.image();
    DeleteTopicsResponseData response = new DeleteTopicsResponseData();
    List<DeleteTopicState> wanted = new ArrayList<>();
    if (request.version() >= 6) {
      wanted.addAll(request.body().data().topics());
    } else {
      request.body().data().topicNames().forEach(n -> wanted.add(new DeleteTopicState().setName(n)));
    }
    Map<String, Uuid> toDelete = new LinkedHashMap<>();
    for (DeleteTopicState t : wanted) {
      boolean byId = t.name() == null && t.topicId() != null && !t.topicId().equals(Uuid.ZERO_UUID);
      TopicImage topic = byId ? image.topic(t.topicId()) : image.topic(t.name());
      Errors error = Errors.NONE;
      if (topic == null) {
        error = byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
      } else if (!deleteEnabled) {
        error = Errors.TOPIC_DELETION_DISABLED;
      } else if (Topic.isInternal(topic.name())) {
        error = Errors.INVALID_TOPIC_EXCEPTION;
      } else if (toDelete.containsKey(topic.name())) {
        error = Errors.INVALID_REQUEST;
      }
      if (error != Errors.NONE) {
        response.responses().add(new DeletableTopicResult().setName(topic == null ? t.name() : topic.name())
            .setTopicId(byId ? t.topicId() : Uuid.ZERO_UUID).setErrorCode(error.code())
            .setErrorMessage(error == Errors.INVALID_TOPIC_EXCEPTION
                ? "Cannot delete internal topic " + topic.name() + ": the brokers keep their state in it." : null));
      } else {
        toDelete.put(topic.name(), topic.id());
      }
    }
    if (toDelete.isEmpty()) {
      return Future.succeededFuture(response);
    }
    return controller.deleteTopics(toDelete.keySet()).map(results -> {
      results.forEach((name, error) -> response.responses().add(new DeletableTopicResult()
          .setName(name).setTopicId(toDelete.get(name))
          .setErrorCode(error.error().code()).setErrorMessage(message(error))));
      return response;
    });
  }

  private static String message(ApiError error) {
    return error.isSuccess() ? null : error.message();
  }
}
