package io.millrace.engine.group.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.group.GroupCoordinatorConfig;
import io.millrace.engine.group.record.GroupRecord;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * Drives one {@link GroupShard} with a manual clock, as the IO layer would: results are applied
 * at once (records kept in {@link #written}, replies delivered), and time advances deadline by
 * deadline.
 */
final class ShardHarness {

    static final int SESSION_MS = 10_000;
    static final int REBALANCE_MS = 30_000;
    static final short LATEST_JOIN = 9;

    final GroupShard shard;
    final List<GroupRecord> written = new ArrayList<>();
    long now = 1_000_000L;
    private int uuids;

    ShardHarness() {
        this(Map.of(GroupCoordinatorConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0"));
    }

    ShardHarness(Map<String, ?> props) {
        Map<String, Object> all = new HashMap<>(props);
        shard = new GroupShard(0, GroupCoordinatorConfig.fromMap(all), () -> "u" + (++uuids));
        apply(shard.onLoaded(now));
    }

    <T> T apply(CoordinatorResult<T> result) {
        written.addAll(result.records());
        result.replies().forEach(Reply::deliver);
        return result.response();
    }

    /** Moves the clock forward, firing each deadline at its own time. */
    void advance(long ms) {
        long target = now + ms;
        while (true) {
            OptionalLong next = shard.nextDeadlineMs();
            if (next.isEmpty() || next.getAsLong() > target) {
                break;
            }
            now = Math.max(now, next.getAsLong());
            apply(shard.advanceTime(now));
        }
        now = target;
    }

    // ---- requests

    static byte[] subscription(String... topics) {
        ByteBuffer b = ConsumerProtocol.serializeSubscription(new Subscription(List.of(topics)));
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    static JoinGroupRequestData joinRequest(String groupId, String memberId, String... protocols) {
        JoinGroupRequestProtocolCollection collection = new JoinGroupRequestProtocolCollection();
        for (String p : protocols) {
            collection.add(new JoinGroupRequestProtocol().setName(p).setMetadata(subscription("topic")));
        }
        return new JoinGroupRequestData().setGroupId(groupId).setMemberId(memberId)
                .setSessionTimeoutMs(SESSION_MS).setRebalanceTimeoutMs(REBALANCE_MS).setProtocolType("consumer")
                .setProtocols(collection);
    }

    Captured<JoinGroupResponseData> join(JoinGroupRequestData request) {
        return join(request, LATEST_JOIN);
    }

    Captured<JoinGroupResponseData> join(JoinGroupRequestData request, short version) {
        Captured<JoinGroupResponseData> c = new Captured<>();
        apply(shard.joinGroup(new RequestMeta(version, "client", "/127.0.0.1"), request, c, now));
        return c;
    }

    /** The MEMBER_ID_REQUIRED round trip: returns the parked second JoinGroup. */
    Captured<JoinGroupResponseData> joinNew(String groupId, String... protocols) {
        String[] p = protocols.length == 0 ? new String[] {"range"} : protocols;
        Captured<JoinGroupResponseData> first = join(joinRequest(groupId, "", p));
        assertThat(first.error()).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        return join(joinRequest(groupId, first.get().memberId(), p));
    }

    Captured<JoinGroupResponseData> joinStatic(String groupId, String instanceId, String memberId, String... protocols) {
        String[] p = protocols.length == 0 ? new String[] {"range"} : protocols;
        return join(joinRequest(groupId, memberId, p).setGroupInstanceId(instanceId));
    }

    Captured<SyncGroupResponseData> sync(String groupId, String memberId, int generation,
                                         Map<String, byte[]> assignments) {
        return sync(new SyncGroupRequestData().setGroupId(groupId).setMemberId(memberId).setGenerationId(generation)
                .setProtocolType("consumer").setAssignments(assignments.entrySet().stream()
                        .map(e -> new SyncGroupRequestAssignment().setMemberId(e.getKey()).setAssignment(e.getValue()))
                        .toList()));
    }

    Captured<SyncGroupResponseData> sync(SyncGroupRequestData request) {
        Captured<SyncGroupResponseData> c = new Captured<>();
        apply(shard.syncGroup(request, c, now));
        return c;
    }

    Errors heartbeat(String groupId, String memberId, int generation) {
        return heartbeat(groupId, memberId, generation, null);
    }

    Errors heartbeat(String groupId, String memberId, int generation, String instanceId) {
        return Errors.forCode(apply(shard.heartbeat(new HeartbeatRequestData().setGroupId(groupId)
                .setMemberId(memberId).setGenerationId(generation).setGroupInstanceId(instanceId), now)).errorCode());
    }

    LeaveGroupResponseData leave(String groupId, MemberIdentity... members) {
        return apply(shard.leaveGroup(groupId, List.of(members), now));
    }

    static OffsetCommitRequestData commitRequest(String groupId, String memberId, int generation, String topic,
                                                 long... offsets) {
        List<OffsetCommitRequestPartition> partitions = new ArrayList<>();
        for (int i = 0; i < offsets.length; i++) {
            partitions.add(new OffsetCommitRequestPartition().setPartitionIndex(i).setCommittedOffset(offsets[i])
                    .setCommittedLeaderEpoch(3).setCommittedMetadata("m" + i));
        }
        return new OffsetCommitRequestData().setGroupId(groupId).setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(generation).setRetentionTimeMs(-1L)
                .setTopics(List.of(new OffsetCommitRequestTopic().setName(topic).setPartitions(partitions)));
    }

    OffsetCommitResponseData commit(OffsetCommitRequestData request) {
        return apply(shard.commitOffsets(request, now));
    }

    /** The error of every partition of a commit response, which must all agree. */
    static Errors commitError(OffsetCommitResponseData response) {
        List<Short> codes = response.topics().stream().flatMap(t -> t.partitions().stream())
                .map(p -> p.errorCode()).distinct().toList();
        assertThat(codes).hasSize(1);
        return Errors.forCode(codes.get(0));
    }

    OffsetFetchResponseGroup fetchAll(String groupId) {
        return shard.fetchOffsets(new OffsetFetchRequestGroup().setGroupId(groupId).setTopics(null));
    }

    /** Committed offset of one partition, -1 when none. */
    long committed(String groupId, String topic, int partition) {
        return fetchAll(groupId).topics().stream().filter(t -> t.name().equals(topic))
                .flatMap(t -> t.partitions().stream()).filter(p -> p.partitionIndex() == partition)
                .mapToLong(p -> p.committedOffset()).findFirst().orElse(-1L);
    }

    String state(String groupId) {
        return shard.describeGroup(groupId).groupState();
    }

    /** A captured response to a parked request. */
    static final class Captured<T> implements ReplyTo<T> {
        private T response;
        private int completions;

        @Override
        public void complete(T r) {
            completions++;
            response = r;
        }

        boolean done() {
            return completions > 0;
        }

        T get() {
            assertThat(completions).as("responses received").isEqualTo(1);
            return response;
        }

        Errors error() {
            T r = get();
            short code = r instanceof JoinGroupResponseData j ? j.errorCode()
                    : ((SyncGroupResponseData) r).errorCode();
            return Errors.forCode(code);
        }
    }
}
