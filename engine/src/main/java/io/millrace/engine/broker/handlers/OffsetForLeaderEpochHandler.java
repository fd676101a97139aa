package io.millrace.engine.broker.handlers;

import io.millrace.engine.broker.HostedPartitions;
import io.millrace.engine.log.LeaderEpochCache;
import io.millrace.engine.metadata.Controller;
import io.millrace.engine.protocol.ApiHandler;
import io.millrace.engine.protocol.ApiRequest;
import io.vertx.core.Future;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;

/**
 * OffsetForLeaderEpoch 2-4: for each partition, the largest epoch at or below the asked one and
 * the offset where it ended (the consumer uses it to detect log truncation after a leader change;
 * followers will use it to truncate divergent tails). An epoch older than the log knows answers
 * undefined (-1, -1).
 */
public final class OffsetForLeaderEpochHandler implements ApiHandler<OffsetsForLeaderEpochRequest> {

  private final PartitionResolver resolver;

  public OffsetForLeaderEpochHandler(HostedPartitions hosted, Controller controller) {
    this.resolver = new PartitionResolver(hosted, controller);
  }

  @Override
  public ApiKeys apiKey() {
    return ApiKeys.OFFSET_FOR_LEADER_EPOCH;
  }

  @Override
  public Future<ApiMessage> handle(ApiRequest<OffsetsForLeaderEpochRequest> request) {
    OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData();
    for (OffsetForLeaderTopic topic : request.body().data().topics()) {
      OffsetForLeaderTopicResult t = new OffsetForLeaderTopicResult().setTopic(topic.topic());
      response.topics().add(t);
      for (OffsetForLeaderPartition p : topic.partitions()) {
        EpochEndOffset out = new EpochEndOffset().setPartition(p.partition())
            .setLeaderEpoch(LeaderEpochCache.UNDEFINED_EPOCH).setEndOffset(LeaderEpochCache.UNDEFINED_EPOCH_OFFSET);
        t.partitions().add(out);
        PartitionResolver.Resolved target = resolver.resolve(false, topic.topic(), null, p.partition());
        if (!target.ok()) {
          out.setErrorCode(target.error().code());
          continue;
        }
        try {
          target.partition().checkLeaderEpoch(p.currentLeaderEpoch());
          LeaderEpochCache.EpochEntry end = target.partition().log().leaderEpochs().endOffsetFor(p.leaderEpoch());
          out.setLeaderEpoch(end.epoch()).setEndOffset(end.offset());
        } catch (ApiException e) {
          out.setErrorCode(Errors.forException(e).code());
        }
      }
    }
    return Future.succeededFuture(response);
  }
}
