package io.millrace.engine.group.handlers;

import io.millrace.engine.group.GroupCoordinator;
import io.millrace.engine.metadata.Controller;
import io.millrace.engine.protocol.ApiHandler;
import io.millrace.engine.protocol.ApiRequest;
import io.vertx.core.Future;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartition;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartitionCollection;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetDeleteRequest;

/**
 * OffsetDelete 0: deletes a group's committed offsets of some partitions (not of topics a live
 * consumer group subscribes to); partitions of unknown topics get UNKNOWN_TOPIC_OR_PARTITION.
 */
final class OffsetDeleteHandler implements ApiHandler<OffsetDeleteRequest> {

    private final GroupCoordinator coordinator;
    private final Controller controller;

    OffsetDeleteHandler(GroupCoordinator coordinator, Controller controller) {
        this.coordinator = coordinator;
        this.controller = controller;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_DELETE;
    }

    @Override
    public Future<ApiMessage> handle(ApiRequest<OffsetDeleteRequest> request) {
        OffsetDeleteRequestData data = request.body().data();
        TopicResolver topics = new TopicResolver(controller.image());
        OffsetDeleteRequestTopicCollection known = new OffsetDeleteRequestTopicCollection();
        OffsetDeleteResponseData unknown = new OffsetDeleteResponseData();
        for (OffsetDeleteRequestTopic t : data.topics()) {
            OffsetDeleteRequestTopic kept = new OffsetDeleteRequestTopic().setName(t.name());
            for (OffsetDeleteRequestPartition p : t.partitions()) {
                if (topics.hasPartition(topics.byName(t.name()), p.partitionIndex())) {
                    kept.partitions().add(p.duplicate());
                } else {
                    answer(unknown, t.name(), p.partitionIndex(), Errors.UNKNOWN_TOPIC_OR_PARTITION);
                }
            }
            if (!kept.partitions().isEmpty()) {
                known.add(kept);
            }
        }
        return coordinator.deleteOffsets(data.duplicate().setTopics(known)).map(response -> {
            if (response.errorCode() == Errors.NONE.code()) {
                unknown.topics().forEach(t -> t.partitions().forEach(p ->
                        answer(response, t.name(), p.partitionIndex(), Errors.forCode(p.errorCode()))));
            }
            return response;
        });
    }

    private static void answer(OffsetDeleteResponseData response, String topic, int partition, Errors error) {
        OffsetDeleteResponseTopic t = response.topics().find(topic);
        if (t == null) {
            t = new OffsetDeleteResponseTopic().setName(topic).setPartitions(new OffsetDeleteResponsePartitionCollection());
            response.topics().add(t);
        }
        if (t.partitions().find(partition) == null) {
            t.partitions().add(new OffsetDeleteResponsePartition().setPartitionIndex(partition)
                    .setErrorCode(error.code()));
        }
    }
}
