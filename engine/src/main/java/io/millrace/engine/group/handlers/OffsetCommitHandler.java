package io.millrace.engine.group.handlers;

import io.millrace.engine.group.GroupCoordinator;
import io.millrace.engine.metadata.Controller;
import io.millrace.engine.metadata.TopicImage;
import io.millrace.engine.protocol.ApiHandler;
import io.millrace.engine.protocol.ApiRequest;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetCommitResponse;

/**
 * OffsetCommit 2-10 (v10 names topics by id). Partitions of topics that do not exist get
 * UNKNOWN_TOPIC_OR_PARTITION (UNKNOWN_TOPIC_ID by id) and are not stored; the rest go to the
 * group's coordinator in one write.
 */
final class OffsetCommitHandler implements ApiHandler<OffsetCommitRequest> {

    private final GroupCoordinator coordinator;
    private final Controller controller;

    OffsetCommitHandler(GroupCoordinator coordinator, Controller controller) {
        this.coordinator = coordinator;
        this.controller = controller;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_COMMIT;
    }

    @Override
    public Future<ApiMessage> handle(ApiRequest<OffsetCommitRequest> request) {
        OffsetCommitRequestData data = request.body().data();
        boolean byId = OffsetCommitResponse.useTopicIds(request.version());
        TopicResolver topics = new TopicResolver(controller.image());
        // Split: what the coordinator stores, and what is answered here.
        OffsetCommitRequestData known = data.duplicate().setTopics(new ArrayList<>());
        Map<String, Errors> rejected = new HashMap<>();
        for (OffsetCommitRequestTopic t : data.topics()) {
            TopicImage topic = byId ? topics.byId(t.topicId()) : topics.byName(t.name());
            OffsetCommitRequestTopic kept = new OffsetCommitRequestTopic()
                    .setName(topic == null ? t.name() : topic.name()).setTopicId(t.topicId());
            for (OffsetCommitRequestPartition p : t.partitions()) {
                if (topics.hasPartition(topic, p.partitionIndex())) {
                    kept.partitions().add(p);
                } else {
                    rejected.put(key(t, p.partitionIndex()),
                            byId && topic == null ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION);
                }
            }
            if (!kept.partitions().isEmpty()) {
                known.topics().add(kept);
            }
        }
        Future<OffsetCommitResponseData> stored = known.topics().isEmpty()
                ? Future.succeededFuture(new OffsetCommitResponseData())
                : coordinator.commitOffsets(known);
        return stored.map(response -> (ApiMessage) answer(data, byId, response, rejected));
    }

    /** The response in the request's order, for the request's version (names or ids). */
    private static OffsetCommitResponseData answer(OffsetCommitRequestData request, boolean byId,
                                                   OffsetCommitResponseData stored, Map<String, Errors> rejected) {
        Map<String, Short> storedErrors = new HashMap<>();
        for (OffsetCommitResponseTopic t : stored.topics()) {
            for (OffsetCommitResponsePartition p : t.partitions()) {
                storedErrors.put((byId ? t.topicId().toString() : t.name()) + ":" + p.partitionIndex(),
                        p.errorCode());
            }
        }
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        for (OffsetCommitRequestTopic t : request.topics()) {
            OffsetCommitResponseTopic out = byId
                    ? new OffsetCommitResponseTopic().setTopicId(t.topicId())
                    : new OffsetCommitResponseTopic().setName(t.name()).setTopicId(Uuid.ZERO_UUID);
            List<OffsetCommitResponsePartition> partitions = new ArrayList<>();
            for (OffsetCommitRequestPartition p : t.partitions()) {
                String k = key(t, p.partitionIndex());
                Errors error = rejected.get(k);
                short code = error != null ? error.code()
                        : storedErrors.getOrDefault(k, Errors.UNKNOWN_SERVER_ERROR.code());
                partitions.add(new OffsetCommitResponsePartition().setPartitionIndex(p.partitionIndex())
                        .setErrorCode(code));
            }
            response.topics().add(out.setPartitions(partitions));
        }
        return response;
    }

    /** A partition of the request: by topic id from v10, by name before (what the coordinator echoes). */
    private static String key(OffsetCommitRequestTopic t, int partition) {
        return (t.name() == null || t.name().isEmpty() ? String.valueOf(t.topicId()) : t.name()) + ":" + partition;
    }
}
