package io.millrace.engine.broker.handlers;

import io.millrace.engine.broker.HostedPartitions;
import io.millrace.engine.log.LogAppendInfo;
import io.millrace.engine.metadata.Controller;
import io.millrace.engine.protocol.ApiHandler;
import io.millrace.engine.protocol.ApiRequest;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.ProduceRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produce 3-13 (0-2 advertised, as Kafka 4 does, so that librdkafka keeps compression on; they
 * get UNSUPPORTED_VERSION). Each partition's batches are validated (one v2 batch, CRC, sizes,
 * sequences) and appended on the partition's owner context, all partitions at once; acks=1
 * answers when the leader's append is done, acks=all when the high watermark has passed it (every
 * in-sync replica has it; NOT_ENOUGH_REPLICAS below {@code min.insync.replicas},
 * REQUEST_TIMED_OUT after the request's timeout), acks=0 sends nothing back. A partition's
 * failure is its own error code; the others still append. Internal topics
 * ({@code __consumer_offsets}) are written by the broker only: clients get INVALID_TOPIC_EXCEPTION.
 */
public final class ProduceHandler implements ApiHandler<ProduceRequest> {

  private static final Logger log = LoggerFactory.getLogger(ProduceHandler.class);

  private final PartitionResolver resolver;

  public ProduceHandler(HostedPartitions hosted, Controller controller) {
    this.resolver = new PartitionResolver(hosted, controller);
  }

  @Override
  public ApiKeys apiKey() {
    return ApiKeys.PRODUCE;
  }

  @Override
  public short advertisedMinVersion() {
    return ApiKeys.PRODUCE_API_VERSIONS_RESPONSE_MIN_VERSION;
  }

  @Override
  public Future<ApiMessage> handle(ApiRequest<ProduceRequest> request) {
    short acks = request.body().data().acks();
    boolean byId = request.version() >= 13;
    ProduceResponseData response = new ProduceResponseData();
    List<Future<?>> appends = new ArrayList<>();
    for (TopicProduceData topic : request.body().data().topicData()) {
      TopicProduceResponse topicResponse = new TopicProduceResponse().setName(byId ? "" : topic.name())
          .setTopicId(topic.topicId());
      response.responses().add(topicResponse);
      for (PartitionProduceData data : topic.partitionData()) {
        PartitionProduceResponse p = new PartitionProduceResponse().setIndex(data.index())
            .setBaseOffset(-1).setLogAppendTimeMs(-1).setLogStartOffset(-1);
        topicResponse.partitionResponses().add(p);
        if (acks != -1 && acks != 0 && acks != 1) {
          fail(p, Errors.INVALID_REQUIRED_ACKS, request.version() >= 8 ? "acks must be -1, 0 or 1, was " + acks : null);
          continue;
        }
        PartitionResolver.Resolved target = resolver.resolve(byId, topic.name(), topic.topicId(), data.index());
        if (!target.ok()) {
          fail(p, target.error(), null);
          continue;
        }
        if (Topic.isInternal(target.topicName())) {
          fail(p, Errors.INVALID_TOPIC_EXCEPTION, request.version() >= 8
              ? "Cannot append to internal topic " + target.topicName() : null);
          continue;
        }
        MemoryRecords records;
        try {
          records = validated(request.version(), data.records());
        } catch (ApiException e) {
          target.partition().metrics().recordProduceFailure();
          fail(p, Errors.forException(e), request.version() >= 8 ? e.getMessage() : null);
          continue;
        }
        appends.add(target.partition().appendAsLeader(records, acks, request.body().data().timeoutMs()).andThen(ar -> {
          if (ar.succeeded()) {
            LogAppendInfo info = ar.result();
            if (!info.duplicate()) {
              target.partition().metrics().recordAppend(info.validBytes(), info.numRecords());
            }
            p.setBaseOffset(info.firstOffset()).setLogAppendTimeMs(info.logAppendTime())
                .setLogStartOffset(request.version() >= 5 ? info.logStartOffset() : -1);
          } else {
            Throwable e = ar.cause();
            target.partition().metrics().recordProduceFailure();
            if (!(e instanceof ApiException)) {
              log.error("Append to {} failed", target.partition().topicPartition(), e);
            }
            fail(p, Errors.forException(e), request.version() >= 8 ? e.getMessage() : null);
          }
        }));
      }
    }
    return Future.join(appends).transform(ar -> Future.succeededFuture(acks == 0 ? null : response));
  }

  /** The checks kafka-clients leaves to the broker: exactly one v2 batch, with transactions refused. */
  private static MemoryRecords validated(short version, BaseRecords records) {
    ProduceRequest.validateRecords(version, records);
    if (!(records instanceof MemoryRecords memory)) {
      throw new org.apache.kafka.common.errors.CorruptRecordException("Produce records are not in memory form");
    }
    for (RecordBatch batch : memory.batches()) {
      if (batch.isTransactional() || batch.isControlBatch()) {
        throw new org.apache.kafka.common.InvalidRecordException(
            "Transactional and control batches are not accepted: this broker does not support transactions");
      }
    }
    return memory;
  }

  private static void fail(PartitionProduceResponse p, Errors error, String message) {
    p.setErrorCode(error.code()).setErrorMessage(message).setBaseOffset(-1);
  }
}
