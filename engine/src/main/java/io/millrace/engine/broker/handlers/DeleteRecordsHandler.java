package io.millrace.engine.broker.handlers;

import io.millrace.engine.broker.HostedPartitions;
import io.millrace.engine.metadata.Controller;
import io.millrace.engine.protocol.ApiHandler;
import io.millrace.engine.protocol.ApiRequest;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsPartition;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsTopic;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteRecordsRequest;

/**
 * DeleteRecords 0-2: raises partitions' log start offsets (offset -1: the high watermark); the
 * answer's low watermark is the new log start offset. Whole segments below it are removed by the
 * log's retention pass. An offset above the high watermark gets OFFSET_OUT_OF_RANGE.
 */
public final class DeleteRecordsHandler implements ApiHandler<DeleteRecordsRequest> {

  private final PartitionResolver resolver;

  public DeleteRecordsHandler(HostedPartitions hosted, Controller controller) {
    this.resolver = new PartitionResolver(hosted, controller);
  }

  @Override
  public ApiKeys apiKey() {
    return ApiKeys.DELETE_RECORDS;
  }

  @Override
  public Future<ApiMessage> handle(ApiRequest<DeleteRecordsRequest> request) {
    DeleteRecordsResponseData response = new DeleteRecordsResponseData();
    List<Future<?>> pending = new ArrayList<>();
    for (DeleteRecordsTopic topic : request.body().data().topics()) {
      DeleteRecordsTopicResult t = new DeleteRecordsTopicResult().setName(topic.name());
      response.topics().add(t);
      for (DeleteRecordsPartition p : topic.partitions()) {
        DeleteRecordsPartitionResult out = new DeleteRecordsPartitionResult()
            .setPartitionIndex(p.partitionIndex()).setLowWatermark(-1);
        t.partitions().add(out);
        PartitionResolver.Resolved target = resolver.resolve(false, topic.name(), null, p.partitionIndex());
        if (!target.ok()) {
          out.setErrorCode(target.error().code());
        } else if (Topic.isInternal(topic.name())) {
          out.setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code());
        } else if (p.offset() < -1) {
          out.setErrorCode(Errors.OFFSET_OUT_OF_RANGE.code());
        } else {
          pending.add(target.partition().deleteRecordsBefore(p.offset()).andThen(ar -> {
            if (ar.succeeded()) {
              out.setLowWatermark(ar.result());
            } else {
              out.setErrorCode(Errors.forException(ar.cause()).code());
            }
          }));
        }
      }
    }
    return Future.join(pending).transform(ar -> Future.succeededFuture(response));
  }
}
