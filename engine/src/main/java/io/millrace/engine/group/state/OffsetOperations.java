package io.millrace.engine.group.state;

import io.millrace.engine.group.GroupCoordinatorConfig;
import io.millrace.engine.group.record.GroupRecord;
import io.millrace.engine.group.record.OffsetCommitValue;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartition;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartitionCollection;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopicCollection;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;

/**
 * Committed offsets: OffsetCommit, OffsetFetch, OffsetDelete and the expiry of old offsets, as
 * Kafka's coordinator does them. Part of one {@link GroupShard}; not thread-safe.
 */
final class OffsetOperations {

    private static final long NO_RETENTION = -1L;

    private final GroupShard shard;
    private final GroupCoordinatorConfig config;
    private final Logger log;

    OffsetOperations(GroupShard shard) {
        this.shard = shard;
        this.config = shard.config();
        this.log = shard.log();
    }

    // ------------------------------------------------------------------ OffsetCommit

    OffsetCommitResponseData commit(OffsetCommitRequestData req, Effects fx, long nowMs) {
        String groupId = req.groupId();
        if (groupId == null) {
            return commitError(req, Errors.INVALID_GROUP_ID);
        }
        ClassicGroup group = shard.group(groupId);
        int generation = req.generationIdOrMemberEpoch();
        if (group == null) {
            if (generation >= 0) {
                // A member of a generation that this coordinator has never seen.
                return commitError(req, Errors.ILLEGAL_GENERATION);
            }
            group = shard.createGroup(groupId, nowMs);
        }
        Errors error = validateCommit(group, generation, req.memberId(), req.groupInstanceId());
        if (error != Errors.NONE) {
            shard.maybeDropUnusedGroup(group);
            return commitError(req, error);
        }
        shard.memberRequests().touchSession(group, req.memberId(), nowMs);
        long expireTimestampMs = req.retentionTimeMs() == NO_RETENTION ? OffsetCommitValue.NO_EXPIRE_TIMESTAMP
                : nowMs + req.retentionTimeMs();
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        for (OffsetCommitRequestTopic topic : req.topics()) {
            OffsetCommitResponseTopic topicResponse = new OffsetCommitResponseTopic().setName(topic.name())
                    .setTopicId(topic.topicId());
            for (OffsetCommitRequestPartition p : topic.partitions()) {
                String metadata = p.committedMetadata() == null ? "" : p.committedMetadata();
                Errors partitionError = Errors.NONE;
                if (metadata.length() > config.offsetMetadataMaxBytes()) {
                    partitionError = Errors.OFFSET_METADATA_TOO_LARGE;
                } else {
                    TopicPartition tp = new TopicPartition(topic.name(), p.partitionIndex());
                    OffsetCommitValue value = new OffsetCommitValue(p.committedOffset(), p.committedLeaderEpoch(),
                            metadata, nowMs, expireTimestampMs);
                    group.offsets().put(tp, value);
                    fx.append(new GroupRecord.OffsetCommit(groupId, tp, value));
                }
                topicResponse.partitions().add(new OffsetCommitResponsePartition()
                        .setPartitionIndex(p.partitionIndex()).setErrorCode(partitionError.code()));
            }
            response.topics().add(topicResponse);
        }
        shard.maybeDropUnusedGroup(group);
        return response;
    }

    /**
     * Who may commit: anyone while the group has no members (generation -1: admin tools and
     * consumers using {@code assign()}); otherwise only a member of the current generation, and
     * not while the group waits for its assignment.
     */
    private static Errors validateCommit(ClassicGroup group, int generation, String memberId, String instanceId) {
        if (group.is(GroupState.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (generation < 0 && group.is(GroupState.EMPTY)) {
            return Errors.NONE;
        }
        boolean hasMemberId = memberId != null && !memberId.isEmpty();
        if (generation >= 0 || hasMemberId || instanceId != null) {
            if (group.isStaticMemberFenced(instanceId, memberId)) {
                return Errors.FENCED_INSTANCE_ID;
            } else if (!hasMemberId || !group.hasMember(memberId)) {
                return Errors.UNKNOWN_MEMBER_ID;
            } else if (generation != group.generationId()) {
                return Errors.ILLEGAL_GENERATION;
            }
        } else if (!group.is(GroupState.EMPTY)) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (group.is(GroupState.COMPLETING_REBALANCE)) {
            // The member has its new generation but not yet its assignment: let it retry after SyncGroup.
            return Errors.REBALANCE_IN_PROGRESS;
        }
        return Errors.NONE;
    }

    static OffsetCommitResponseData commitError(OffsetCommitRequestData req, Errors error) {
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        for (OffsetCommitRequestTopic topic : req.topics()) {
            OffsetCommitResponseTopic t = new OffsetCommitResponseTopic().setName(topic.name())
                    .setTopicId(topic.topicId());
            for (OffsetCommitRequestPartition p : topic.partitions()) {
                t.partitions().add(new OffsetCommitResponsePartition().setPartitionIndex(p.partitionIndex())
                        .setErrorCode(error.code()));
            }
            response.topics().add(t);
        }
        return response;
    }

    // ------------------------------------------------------------------ OffsetFetch

    /**
     * The committed offsets of the requested partitions (all of the group's when {@code topics} is
     * null); partitions without a commit get offset -1. Without transactions there are never
     * pending offsets, so {@code requireStable} has nothing to wait for.
     */
    OffsetFetchResponseGroup fetch(OffsetFetchRequestGroup req) {
        ClassicGroup group = shard.group(req.groupId());
        Map<TopicPartition, OffsetCommitValue> offsets = group == null ? Map.of() : group.offsets();
        OffsetFetchResponseGroup response = new OffsetFetchResponseGroup().setGroupId(req.groupId());
        if (req.topics() == null) {
            Map<String, List<OffsetFetchResponsePartitions>> byTopic = new TreeMap<>();
            offsets.forEach((tp, v) -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                    .add(fetched(tp.partition(), v)));
            byTopic.forEach((topic, partitions) -> {
                partitions.sort((a, b) -> Integer.compare(a.partitionIndex(), b.partitionIndex()));
                response.topics().add(new OffsetFetchResponseTopics().setName(topic).setPartitions(partitions));
            });
            return response;
        }
        for (OffsetFetchRequestTopics topic : req.topics()) {
            OffsetFetchResponseTopics t = new OffsetFetchResponseTopics().setName(topic.name())
                    .setTopicId(topic.topicId());
            for (int partition : topic.partitionIndexes()) {
                t.partitions().add(fetched(partition, offsets.get(new TopicPartition(topic.name(), partition))));
            }
            response.topics().add(t);
        }
        return response;
    }

    private static OffsetFetchResponsePartitions fetched(int partition, OffsetCommitValue value) {
        OffsetFetchResponsePartitions p = new OffsetFetchResponsePartitions().setPartitionIndex(partition)
                .setErrorCode(Errors.NONE.code());
        if (value == null) {
            return p.setCommittedOffset(-1L).setCommittedLeaderEpoch(OffsetCommitValue.NO_LEADER_EPOCH)
                    .setMetadata("");
        }
        return p.setCommittedOffset(value.offset()).setCommittedLeaderEpoch(value.leaderEpoch())
                .setMetadata(value.metadata());
    }

    // ------------------------------------------------------------------ OffsetDelete

    /**
     * Deletes committed offsets of an empty group, or of topics a consumer group does not
     * subscribe to (GROUP_SUBSCRIBED_TO_TOPIC for the others).
     */
    OffsetDeleteResponseData delete(OffsetDeleteRequestData req, Effects fx) {
        OffsetDeleteResponseData response = new OffsetDeleteResponseData();
        if (req.groupId() == null || req.groupId().isEmpty()) {
            return response.setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        ClassicGroup group = shard.group(req.groupId());
        if (group == null || group.is(GroupState.DEAD)) {
            return response.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code());
        }
        boolean empty = group.is(GroupState.EMPTY);
        if (!empty && !ConsumerProtocol.PROTOCOL_TYPE.equals(group.protocolType())) {
            return response.setErrorCode(Errors.NON_EMPTY_GROUP.code());
        }
        OffsetDeleteResponseTopicCollection topics = new OffsetDeleteResponseTopicCollection();
        for (OffsetDeleteRequestTopic topic : req.topics()) {
            OffsetDeleteResponsePartitionCollection partitions = new OffsetDeleteResponsePartitionCollection();
            boolean subscribed = !empty && group.isSubscribedTo(topic.name());
            for (OffsetDeleteRequestPartition p : topic.partitions()) {
                Errors error = Errors.NONE;
                if (subscribed) {
                    error = Errors.GROUP_SUBSCRIBED_TO_TOPIC;
                } else {
                    TopicPartition tp = new TopicPartition(topic.name(), p.partitionIndex());
                    if (group.offsets().remove(tp) != null) {
                        fx.append(GroupRecord.OffsetCommit.tombstone(group.groupId(), tp));
                    }
                }
                if (partitions.find(p.partitionIndex()) == null) {
                    partitions.add(new OffsetDeleteResponsePartition().setPartitionIndex(p.partitionIndex())
                            .setErrorCode(error.code()));
                }
            }
            if (topics.find(topic.name()) == null) {
                topics.add(new OffsetDeleteResponseTopic().setName(topic.name()).setPartitions(partitions));
            }
        }
        return response.setErrorCode(Errors.NONE.code()).setTopics(topics);
    }

    // ------------------------------------------------------------------ expiry

    /**
     * Deletes offsets past {@code offsets.retention.minutes}: for an empty group counted from the
     * moment it became empty; for a standalone consumer from the last commit; for a stable
     * consumer group only offsets of topics it no longer subscribes to. An empty group left
     * without offsets is deleted. Returns the number of offsets removed.
     */
    int expire(Effects fx, long nowMs) {
        int removed = 0;
        List<ClassicGroup> emptied = new ArrayList<>();
        for (ClassicGroup group : shard.groups()) {
            removed += expireOffsets(group, fx, nowMs);
            if (group.is(GroupState.EMPTY) && group.offsets().isEmpty() && group.numPendingJoinMembers() == 0) {
                emptied.add(group);
            }
        }
        for (ClassicGroup group : emptied) {
            log.info("Group {} is empty and has no offsets left: deleting it", group.groupId());
            shard.deleteGroup(group, fx, nowMs);
        }
        return removed;
    }

    private int expireOffsets(ClassicGroup group, Effects fx, long nowMs) {
        long retentionMs = config.offsetsRetentionMs();
        Set<String> keep;
        boolean sinceEmpty;
        if (group.protocolType() != null && group.is(GroupState.EMPTY)) {
            keep = Set.of();
            sinceEmpty = true;
        } else if (ConsumerProtocol.PROTOCOL_TYPE.equals(group.protocolType()) && group.is(GroupState.STABLE)
                && group.subscribedTopics().isPresent()) {
            keep = group.subscribedTopics().get();
            sinceEmpty = false;
        } else if (group.protocolType() == null) {
            keep = Set.of();
            sinceEmpty = false;
        } else {
            return 0;
        }
        int removed = 0;
        Iterator<Map.Entry<TopicPartition, OffsetCommitValue>> it = group.offsets().entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<TopicPartition, OffsetCommitValue> e = it.next();
            OffsetCommitValue v = e.getValue();
            if (keep.contains(e.getKey().topic())) {
                continue;
            }
            boolean expired = v.hasExpireTimestamp() ? nowMs >= v.expireTimestampMs()
                    : nowMs - (sinceEmpty ? group.stateTimestampMs() : v.commitTimestampMs()) >= retentionMs;
            if (expired) {
                it.remove();
                fx.append(GroupRecord.OffsetCommit.tombstone(group.groupId(), e.getKey()));
                removed++;
            }
        }
        if (removed > 0) {
            log.info("Removed {} expired offsets of group {}", removed, group.groupId());
        }
        return removed;
    }

    /** Deletes every group's offsets of deleted topics. */
    void deleteTopics(Set<String> topics, Effects fx) {
        for (ClassicGroup group : shard.groups()) {
            Iterator<TopicPartition> it = group.offsets().keySet().iterator();
            while (it.hasNext()) {
                TopicPartition tp = it.next();
                if (topics.contains(tp.topic())) {
                    it.remove();
                    fx.append(GroupRecord.OffsetCommit.tombstone(group.groupId(), tp));
                }
            }
        }
    }
}
