package io.millrace.engine.broker.handlers;

import io.millrace.engine.metadata.Controller;
import io.millrace.engine.metadata.ReplicaChanges;
import io.millrace.engine.protocol.ApiHandler;
import io.millrace.engine.protocol.ApiRequest;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.ElectLeadersResponseData.PartitionResult;
import org.apache.kafka.common.message.ElectLeadersResponseData.ReplicaElectionResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.ElectLeadersRequest;

/**
 * ElectLeaders 0-2 (kafka-leader-election, {@code Admin.electLeaders}): moves leadership to each
 * partition's preferred replica (PREFERRED; v0 is always preferred), or elects any live replica
 * for a partition without a leader (UNCLEAN), through the controller. With no partitions named,
 * every partition is considered and only those where an election was needed are answered, as
 * Kafka does.
 */
public final class ElectLeadersHandler implements ApiHandler<ElectLeadersRequest> {

  private final Controller controller;

  public ElectLeadersHandler(Controller controller) {
    this.controller = controller;
  }

  @Override
  public ApiKeys apiKey() {
    return ApiKeys.ELECT_LEADERS;
  }

  @Override
  public Future<ApiMessage> handle(ApiRequest<ElectLeadersRequest> request) {
    ElectionType type = request.version() == 0 ? ElectionType.PREFERRED : request.body().electionType();
    Set<TopicPartition> named = request.body().topicPartitions();
    boolean all = request.body().data().topicPartitions() == null;
    List<TopicPartition> partitions = all ? null : new ArrayList<>(named);
    ReplicaChanges.ElectionType election = type == ElectionType.UNCLEAN
        ? ReplicaChanges.ElectionType.UNCLEAN : ReplicaChanges.ElectionType.PREFERRED;
    return controller.electLeaders(election, partitions).map(results -> response(results, all));
  }

  private static ApiMessage response(Map<TopicPartition, ApiError> results, boolean all) {
    Map<String, ReplicaElectionResult> byTopic = new LinkedHashMap<>();
    results.forEach((tp, error) -> {
      if (all && error.error() == Errors.ELECTION_NOT_NEEDED) {
        return;
      }
      byTopic.computeIfAbsent(tp.topic(), t -> new ReplicaElectionResult().setTopic(t)).partitionResult()
          .add(new PartitionResult().setPartitionId(tp.partition()).setErrorCode(error.error().code())
              .setErrorMessage(error.isSuccess() ? null : error.message()));
    });
    return new ElectLeadersResponseData().setErrorCode(Errors.NONE.code())
        .setReplicaElectionResults(new ArrayList<>(byTopic.values()));
  }
}
