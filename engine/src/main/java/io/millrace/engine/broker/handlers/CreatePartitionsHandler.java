package io.millrace.engine.broker.handlers;

import io.millrace.engine.metadata.Controller;
import io.millrace.engine.metadata.Controller.NewPartitions;
import io.millrace.engine.protocol.ApiHandler;
import io.millrace.engine.protocol.ApiRequest;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsAssignment;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.CreatePartitionsRequest;

/** CreatePartitions 0-3: raises topics' partition counts through the controller. */
public final class CreatePartitionsHandler implements ApiHandler<CreatePartitionsRequest> {

  private final Controller controller;

  public CreatePartitionsHandler(Controller controller) {
    this.controller = controller;
  }

  @Override
  public ApiKeys apiKey() {
    return ApiKeys.CREATE_PARTITIONS;
  }

  @Override
  public Future<ApiMessage> handle(ApiRequest<CreatePartitionsRequest> request) {
    List<NewPartitions> wanted = new ArrayList<>();
    for (CreatePartitionsTopic t : request.body().data().topics()) {
      List<List<Integer>> assignments = new ArrayList<>();
      if (t.assignments() != null) {
        for (CreatePartitionsAssignment a : t.assignments()) {
          assignments.add(a.brokerIds());
        }
      }
      wanted.add(new NewPartitions(t.name(), t.count(), assignments));
    }
    return controller.createPartitions(wanted, request.body().data().validateOnly()).map(results -> {
      CreatePartitionsResponseData response = new CreatePartitionsResponseData();
      results.forEach((name, error) -> response.results().add(new CreatePartitionsTopicResult()
          .setName(name).setErrorCode(error.error().code())
          .setErrorMessage(error.isSuccess() ? null : error.message())));
      return response;
    });
  }
}
