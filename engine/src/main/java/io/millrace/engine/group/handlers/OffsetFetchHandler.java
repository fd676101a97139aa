package io.millrace.engine.group.handlers;

import io.millrace.engine.group.GroupCoordinator;
import io.millrace.engine.metadata.Controller;
import io.millrace.engine.metadata.TopicImage;
import io.millrace.engine.protocol.ApiHandler;
import io.millrace.engine.protocol.ApiRequest;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartition;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopic;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetFetchRequest;

/**
 * OffsetFetch 1-10: committed offsets of some partitions or (v2+, topics null) all of a group's;
 * v8+ several groups at once, each answered on its own (a group whose coordinator is elsewhere
 * gets NOT_COORDINATOR without failing the others); v10 names topics by id. Without
 * transactions no commit is ever pending, so {@code require_stable} (v7+) never has to wait.
 */
final class OffsetFetchHandler implements ApiHandler<OffsetFetchRequest> {

    private final GroupCoordinator coordinator;
    private final Controller controller;

    OffsetFetchHandler(GroupCoordinator coordinator, Controller controller) {
        this.coordinator = coordinator;
        this.controller = controller;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_FETCH;
    }

    @Override
    public short minVersion() {
        return 1;
    }

    @Override
    public Future<ApiMessage> handle(ApiRequest<OffsetFetchRequest> request) {
        short version = request.version();
        boolean byId = OffsetFetchRequest.useTopicIds(version);
        TopicResolver topics = new TopicResolver(controller.image());
        List<Future<OffsetFetchResponseGroup>> answers = new ArrayList<>();
        for (OffsetFetchRequestGroup group : request.body().groups()) {
            answers.add(fetch(group, byId, topics));
        }
        return Future.all(answers).map(all -> {
            List<OffsetFetchResponseGroup> groups = new ArrayList<>();
            answers.forEach(a -> groups.add(a.result()));
            return (ApiMessage) (version >= 8 ? new OffsetFetchResponseData().setGroups(groups)
                    : singleGroup(request.body().groups().get(0), groups.get(0), version));
        });
    }

    private Future<OffsetFetchResponseGroup> fetch(OffsetFetchRequestGroup group, boolean byId,
                                                   TopicResolver topics) {
        OffsetFetchRequestGroup named = group.duplicate();
        List<OffsetFetchResponseTopics> unknown = new ArrayList<>();
        if (byId && group.topics() != null) {
            named.setTopics(new ArrayList<>());
            for (OffsetFetchRequestTopics t : group.topics()) {
                TopicImage topic = topics.byId(t.topicId());
                if (topic == null) {
                    unknown.add(unknownTopic(t));
                } else {
                    named.topics().add(t.duplicate().setName(topic.name()));
                }
            }
        }
        return coordinator.fetchOffsets(named)
                .map(r -> {
                    if (byId) {
                        toIds(r, topics);
                        r.topics().addAll(unknown);
                    }
                    return r;
                })
                .otherwise(e -> new OffsetFetchResponseGroup().setGroupId(group.groupId())
                        .setErrorCode(Clients.error(e).code()));
    }

    private static OffsetFetchResponseTopics unknownTopic(OffsetFetchRequestTopics t) {
        OffsetFetchResponseTopics out = new OffsetFetchResponseTopics().setTopicId(t.topicId());
        for (int p : t.partitionIndexes()) {
            out.partitions().add(new OffsetFetchResponsePartitions().setPartitionIndex(p).setCommittedOffset(-1)
                    .setCommittedLeaderEpoch(-1).setMetadata("").setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()));
        }
        return out;
    }

    /** Names to ids for v10; offsets of topics that no longer exist are left out. */
    private static void toIds(OffsetFetchResponseGroup group, TopicResolver topics) {
        List<OffsetFetchResponseTopics> out = new ArrayList<>();
        for (OffsetFetchResponseTopics t : group.topics()) {
            TopicImage topic = topics.byName(t.name());
            if (topic != null) {
                out.add(t.setTopicId(topic.id()).setName(""));
            }
        }
        group.setTopics(out);
    }

    /** v1-7: one group, its topics at the top level; v1 has no top-level error, so partitions carry it. */
    private static OffsetFetchResponseData singleGroup(OffsetFetchRequestGroup request, OffsetFetchResponseGroup group,
                                                       short version) {
        OffsetFetchResponseData response = new OffsetFetchResponseData();
        if (version >= 2) {
            response.setErrorCode(group.errorCode());
        } else if (group.errorCode() != Errors.NONE.code() && request.topics() != null) {
            for (OffsetFetchRequestTopics t : request.topics()) {
                OffsetFetchResponseTopic topic = new OffsetFetchResponseTopic().setName(t.name());
                for (int p : t.partitionIndexes()) {
                    topic.partitions().add(new OffsetFetchResponsePartition().setPartitionIndex(p)
                            .setCommittedOffset(-1).setMetadata("").setErrorCode(group.errorCode()));
                }
                response.topics().add(topic);
            }
            return response;
        }
        for (OffsetFetchResponseTopics t : group.topics()) {
            OffsetFetchResponseTopic topic = new OffsetFetchResponseTopic().setName(t.name());
            for (OffsetFetchResponsePartitions p : t.partitions()) {
                topic.partitions().add(new OffsetFetchResponsePartition().setPartitionIndex(p.partitionIndex())
                        .setCommittedOffset(p.committedOffset()).setCommittedLeaderEpoch(p.committedLeaderEpoch())
                        .setMetadata(p.metadata()).setErrorCode(p.errorCode()));
            }
            response.topics().add(topic);
        }
        return response;
    }
}
