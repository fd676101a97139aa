package io.millrace.engine.broker.handlers;

import io.millrace.engine.broker.HostedPartition;
import io.millrace.engine.broker.HostedPartitions;
import io.millrace.engine.log.PartitionLog;
import io.millrace.engine.metadata.Controller;
import io.millrace.engine.protocol.ApiHandler;
import io.millrace.engine.protocol.ApiRequest;
import io.vertx.core.Future;
import java.util.Optional;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.FileRecords.TimestampAndOffset;
import org.apache.kafka.common.requests.ListOffsetsRequest;

/**
 * ListOffsets 1-11: earliest (-2, and earliest-local -4), latest (-1: the high watermark, which is
 * what a consumer may read up to), max timestamp (-3), or the first offset at or after a time.
 * Latest-tiered (-5) and earliest-pending-upload (-6) have no tiered storage to ask and answer
 * offset -1, as Kafka does without remote storage.
 */
public final class ListOffsetsHandler implements ApiHandler<ListOffsetsRequest> {

  private final PartitionResolver resolver;

  public ListOffsetsHandler(HostedPartitions hosted, Controller controller) {
    this.resolver = new PartitionResolver(hosted, controller);
  }

  @Override
  public ApiKeys apiKey() {
    return ApiKeys.LIST_OFFSETS;
  }

  @Override
  public Future<ApiMessage> handle(ApiRequest<ListOffsetsRequest> request) {
    ListOffsetsResponseData response = new ListOffsetsResponseData();
    for (ListOffsetsTopic topic : request.body().data().topics()) {
      ListOffsetsTopicResponse t = new ListOffsetsTopicResponse().setName(topic.name());
      response.topics().add(t);
      for (ListOffsetsPartition p : topic.partitions()) {
        ListOffsetsPartitionResponse out = new ListOffsetsPartitionResponse().setPartitionIndex(p.partitionIndex())
            .setTimestamp(-1).setOffset(-1).setLeaderEpoch(-1);
        t.partitions().add(out);
        PartitionResolver.Resolved target = resolver.resolve(false, topic.name(), null, p.partitionIndex());
        if (!target.ok()) {
          out.setErrorCode(target.error().code());
          continue;
        }
        try {
          lookUp(target.partition(), p, out);
        } catch (ApiException e) {
          out.setErrorCode(Errors.forException(e).code());
        }
        if (request.version() < 4) {
          out.setLeaderEpoch(-1); // not in the schema before v4
        }
      }
    }
    return Future.succeededFuture(response);
  }

  private static void lookUp(HostedPartition partition, ListOffsetsPartition p, ListOffsetsPartitionResponse out) {
    partition.checkLeaderEpoch(p.currentLeaderEpoch());
    PartitionLog log = partition.log();
    long timestamp = p.timestamp();
    if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP) {
      out.setOffset(log.highWatermark()).setLeaderEpoch(partition.leaderEpoch());
      return;
    }
    if (timestamp == ListOffsetsRequest.LATEST_TIERED_TIMESTAMP
        || timestamp == ListOffsetsRequest.EARLIEST_PENDING_UPLOAD_TIMESTAMP) {
      return;
    }
    if (timestamp < 0 && timestamp != ListOffsetsRequest.EARLIEST_TIMESTAMP
        && timestamp != ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP && timestamp != ListOffsetsRequest.MAX_TIMESTAMP) {
      out.setErrorCode(Errors.INVALID_REQUEST.code());
      return;
    }
    Optional<TimestampAndOffset> found = log.fetchOffsetByTimestamp(timestamp);
    found.filter(f -> f.offset < log.highWatermark() || timestamp < 0).ifPresent(f -> out
        .setTimestamp(f.timestamp).setOffset(f.offset).setLeaderEpoch(f.leaderEpoch.orElse(-1)));
  }
}
