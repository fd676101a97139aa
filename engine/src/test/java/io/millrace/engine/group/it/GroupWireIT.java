package io.millrace.engine.group.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.EmbeddedBroker;
import io.millrace.engine.broker.RawClient;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The group APIs on the wire: every served version of each answered as Kafka would, and bad
 * requests (unknown protocols, stale generations, unknown and fenced members, unknown topics)
 * answered with Kafka's error codes without losing what valid members committed.
 */
class GroupWireIT {

    static EmbeddedBroker broker;
    static Uuid topicId;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedBroker.start(Map.of("group.initial.rebalance.delay.ms", "0",
                "offsets.topic.num.partitions", "3"));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("wire", 2, (short) 1))).all().get();
        }
        topicId = broker.broker().metadata().topic("wire").id();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @SuppressWarnings("unchecked")
    private static <T extends ApiMessage> T call(RawClient raw, ApiKeys api, int version, ApiMessage data)
            throws Exception {
        return (T) raw.roundTrip(api, (short) version, data).data();
    }

    static JoinGroupRequestData join(String group, String memberId, int version) {
        JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestProtocol().setName("range").setMetadata(new byte[] {0, 1, 2}));
        JoinGroupRequestData data = new JoinGroupRequestData().setGroupId(group).setMemberId(memberId)
                .setSessionTimeoutMs(10_000).setProtocolType("consumer").setProtocols(protocols);
        return version >= 1 ? data.setRebalanceTimeoutMs(10_000) : data;
    }

    /** Joins alone (with the member-id round trip from v4): the member id. */
    private static JoinGroupResponseData joinAlone(RawClient raw, String group, int version) throws Exception {
        JoinGroupResponseData first = call(raw, ApiKeys.JOIN_GROUP, version, join(group, "", version));
        if (version < 4) {
            return first;
        }
        assertThat(Errors.forCode(first.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        return call(raw, ApiKeys.JOIN_GROUP, version, join(group, first.memberId(), version));
    }

    private static OffsetCommitRequestData commit(String group, String member, int generation, int version,
                                                  String topic, Uuid id, long offset) {
        var partition = new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0)
                .setCommittedOffset(offset).setCommittedMetadata("v" + version);
        if (version >= 6) {
            partition.setCommittedLeaderEpoch(0);
        }
        var t = new OffsetCommitRequestData.OffsetCommitRequestTopic().setPartitions(List.of(partition));
        if (version >= 10) {
            t.setTopicId(id);
        } else {
            t.setName(topic);
        }
        return new OffsetCommitRequestData().setGroupId(group).setMemberId(member)
                .setGenerationIdOrMemberEpoch(generation).setTopics(List.of(t));
    }

    private static short commitError(OffsetCommitResponseData r) {
        return r.topics().get(0).partitions().get(0).errorCode();
    }

    private static long fetched(RawClient raw, String group, int version) throws Exception {
        OffsetFetchRequestData data = new OffsetFetchRequestData();
        if (version < 8) {
            data.setGroupId(group).setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic()
                    .setName("wire").setPartitionIndexes(List.of(0))));
        } else {
            var topic = new OffsetFetchRequestData.OffsetFetchRequestTopics().setPartitionIndexes(List.of(0));
            if (version >= 10) {
                topic.setTopicId(topicId);
            } else {
                topic.setName("wire");
            }
            data.setGroups(List.of(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(group)
                    .setTopics(List.of(topic))));
        }
        OffsetFetchResponseData r = call(raw, ApiKeys.OFFSET_FETCH, version, data);
        if (version < 8) {
            assertThat(r.errorCode()).isZero();
            assertThat(r.topics().get(0).name()).isEqualTo("wire");
            return r.topics().get(0).partitions().get(0).committedOffset();
        }
        var g = r.groups().get(0);
        assertThat(g.errorCode()).isZero();
        assertThat(version >= 10 ? g.topics().get(0).topicId() : Uuid.ZERO_UUID)
                .isEqualTo(version >= 10 ? topicId : Uuid.ZERO_UUID);
        return g.topics().get(0).partitions().get(0).committedOffset();
    }

    /** As clients do first: creates __consumer_offsets on the first call. */
    private static void findCoordinator(RawClient raw, String group) throws Exception {
        FindCoordinatorResponseData found = call(raw, ApiKeys.FIND_COORDINATOR, 6,
                new FindCoordinatorRequestData().setCoordinatorKeys(List.of(group)));
        assertThat(found.coordinators().get(0).errorCode()).isZero();
    }

    private static int at(int i, int min, int max) {
        return Math.max(min, Math.min(i, max));
    }

    @Test
    void everyServedVersionOfEveryGroupApiWorks() throws Exception {
        try (RawClient raw = new RawClient(broker.bootstrapServers())) {
            for (int i = 0; i <= 10; i++) {
                String group = "wire-" + i;
                int findVersion = at(i, 0, 6);
                FindCoordinatorRequestData find = findVersion >= 4
                        ? new FindCoordinatorRequestData().setCoordinatorKeys(List.of(group))
                        : new FindCoordinatorRequestData().setKey(group);
                FindCoordinatorResponseData found = call(raw, ApiKeys.FIND_COORDINATOR, findVersion, find);
                assertThat(findVersion >= 4 ? found.coordinators().get(0).nodeId() : found.nodeId())
                        .as("FindCoordinator v" + findVersion).isEqualTo(1);

                int joinVersion = at(i, 0, 9);
                JoinGroupResponseData joined = joinAlone(raw, group, joinVersion);
                assertThat(joined.errorCode()).as("JoinGroup v" + joinVersion).isZero();
                assertThat(joined.leader()).isEqualTo(joined.memberId());
                String member = joined.memberId();
                int generation = joined.generationId();

                int syncVersion = at(i, 0, 5);
                SyncGroupResponseData synced = call(raw, ApiKeys.SYNC_GROUP, syncVersion, new SyncGroupRequestData()
                        .setGroupId(group).setMemberId(member).setGenerationId(generation)
                        .setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment()
                                .setMemberId(member).setAssignment(new byte[] {7}))));
                assertThat(synced.errorCode()).as("SyncGroup v" + syncVersion).isZero();
                assertThat(synced.assignment()).containsExactly(7);

                int hbVersion = at(i, 0, 4);
                HeartbeatResponseData hb = call(raw, ApiKeys.HEARTBEAT, hbVersion, new HeartbeatRequestData()
                        .setGroupId(group).setMemberId(member).setGenerationId(generation));
                assertThat(hb.errorCode()).as("Heartbeat v" + hbVersion).isZero();

                int commitVersion = at(i, 2, 10);
                OffsetCommitResponseData committed = call(raw, ApiKeys.OFFSET_COMMIT, commitVersion,
                        commit(group, member, generation, commitVersion, "wire", topicId, 40 + i));
                assertThat(commitError(committed)).as("OffsetCommit v" + commitVersion).isZero();
                assertThat(fetched(raw, group, at(i, 1, 10))).as("OffsetFetch v" + at(i, 1, 10)).isEqualTo(40 + i);

                int describeVersion = at(i, 0, 6);
                DescribeGroupsResponseData described = call(raw, ApiKeys.DESCRIBE_GROUPS, describeVersion,
                        new DescribeGroupsRequestData().setGroups(List.of(group)));
                assertThat(described.groups().get(0).groupState()).as("DescribeGroups v" + describeVersion)
                        .isEqualTo("Stable");
                assertThat(described.groups().get(0).members()).hasSize(1);

                int listVersion = at(i, 0, 5);
                ListGroupsResponseData listed = call(raw, ApiKeys.LIST_GROUPS, listVersion, new ListGroupsRequestData());
                assertThat(listed.groups()).as("ListGroups v" + listVersion).anyMatch(g -> g.groupId().equals(group));

                int leaveVersion = at(i, 0, 5);
                LeaveGroupRequestData leave = leaveVersion < 3
                        ? new LeaveGroupRequestData().setGroupId(group).setMemberId(member)
                        : new LeaveGroupRequestData().setGroupId(group).setMembers(List.of(
                                new LeaveGroupRequestData.MemberIdentity().setMemberId(member)));
                LeaveGroupResponseData left = call(raw, ApiKeys.LEAVE_GROUP, leaveVersion, leave);
                assertThat(left.errorCode()).as("LeaveGroup v" + leaveVersion).isZero();

                int deleteVersion = at(i, 0, 3);
                DeleteGroupsResponseData deleted = call(raw, ApiKeys.DELETE_GROUPS, deleteVersion,
                        new DeleteGroupsRequestData().setGroupsNames(List.of(group)));
                assertThat(deleted.results().find(group).errorCode()).as("DeleteGroups v" + deleteVersion).isZero();
            }
        }
    }

    @Test
    void badRequestsGetKafkasErrorsAndLoseNothingValidMembersCommitted() throws Exception {
        try (RawClient raw = new RawClient(broker.bootstrapServers())) {
            findCoordinator(raw, "bad");
            JoinGroupResponseData joined = call(raw, ApiKeys.JOIN_GROUP, 9,
                    join("bad", "", 9).setGroupInstanceId("static-a"));
            String member = joined.memberId();
            int generation = joined.generationId();
            call(raw, ApiKeys.SYNC_GROUP, 5, new SyncGroupRequestData().setGroupId("bad").setMemberId(member)
                    .setGenerationId(generation).setGroupInstanceId("static-a"));
            assertThat(commitError(call(raw, ApiKeys.OFFSET_COMMIT, 9,
                    commit("bad", member, generation, 9, "wire", topicId, 100).setGroupInstanceId("static-a"))))
                    .isZero();

            // another protocol type, or no protocol in common
            JoinGroupResponseData connect = call(raw, ApiKeys.JOIN_GROUP, 9, join("bad", "", 9)
                    .setProtocolType("connect"));
            assertThat(Errors.forCode(connect.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
            JoinGroupRequestData other = join("bad", "", 9);
            other.protocols().find("range").setName("my-own-assignor");
            assertThat(Errors.forCode(((JoinGroupResponseData) call(raw, ApiKeys.JOIN_GROUP, 9, other)).errorCode()))
                    .isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
            // stale generation, unknown member
            assertThat(Errors.forCode(((HeartbeatResponseData) call(raw, ApiKeys.HEARTBEAT, 4,
                    new HeartbeatRequestData().setGroupId("bad").setMemberId(member).setGroupInstanceId("static-a")
                            .setGenerationId(generation - 1))).errorCode())).isEqualTo(Errors.ILLEGAL_GENERATION);
            assertThat(Errors.forCode(((SyncGroupResponseData) call(raw, ApiKeys.SYNC_GROUP, 5,
                    new SyncGroupRequestData().setGroupId("bad").setMemberId("stranger").setGenerationId(generation)))
                    .errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
            assertThat(Errors.forCode(commitError(call(raw, ApiKeys.OFFSET_COMMIT, 9,
                    commit("bad", member, generation + 5, 9, "wire", topicId, 1).setGroupInstanceId("static-a")))))
                    .isEqualTo(Errors.ILLEGAL_GENERATION);
            assertThat(Errors.forCode(commitError(call(raw, ApiKeys.OFFSET_COMMIT, 9,
                    commit("bad", "stranger", generation, 9, "wire", topicId, 2)))))
                    .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
            // the instance restarts: its old member id is fenced
            JoinGroupResponseData restarted = call(raw, ApiKeys.JOIN_GROUP, 9,
                    join("bad", "", 9).setGroupInstanceId("static-a"));
            assertThat(restarted.memberId()).isNotEqualTo(member);
            assertThat(Errors.forCode(commitError(call(raw, ApiKeys.OFFSET_COMMIT, 9,
                    commit("bad", member, generation, 9, "wire", topicId, 3).setGroupInstanceId("static-a")))))
                    .isEqualTo(Errors.FENCED_INSTANCE_ID);
            // unknown topics and partitions
            assertThat(Errors.forCode(commitError(call(raw, ApiKeys.OFFSET_COMMIT, 9,
                    commit("bad", restarted.memberId(), generation, 9, "no-such-topic", topicId, 4)
                            .setGroupInstanceId("static-a"))))).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
            assertThat(Errors.forCode(commitError(call(raw, ApiKeys.OFFSET_COMMIT, 10,
                    commit("bad", restarted.memberId(), generation, 10, null, Uuid.randomUuid(), 5)
                            .setGroupInstanceId("static-a"))))).isEqualTo(Errors.UNKNOWN_TOPIC_ID);
            // bad arguments
            assertThat(Errors.forCode(((JoinGroupResponseData) call(raw, ApiKeys.JOIN_GROUP, 9,
                    join("bad", "", 9).setSessionTimeoutMs(10))).errorCode())).isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
            assertThat(Errors.forCode(((JoinGroupResponseData) call(raw, ApiKeys.JOIN_GROUP, 9,
                    join("", "", 9))).errorCode())).isEqualTo(Errors.INVALID_GROUP_ID);
            FindCoordinatorResponseData txn = call(raw, ApiKeys.FIND_COORDINATOR, 6, new FindCoordinatorRequestData()
                    .setKeyType((byte) 1).setCoordinatorKeys(List.of("my-transactional-id")));
            assertThat(Errors.forCode(txn.coordinators().get(0).errorCode())).isEqualTo(Errors.INVALID_REQUEST);
            assertThat(txn.coordinators().get(0).errorMessage()).contains("transactions");
            OffsetDeleteResponseData offsetDelete = call(raw, ApiKeys.OFFSET_DELETE, 0, new OffsetDeleteRequestData()
                    .setGroupId("bad").setTopics(new OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection(
                            List.of(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName("wire")
                                    .setPartitions(List.of(new OffsetDeleteRequestData.OffsetDeleteRequestPartition()
                                            .setPartitionIndex(0)))).iterator())));
            assertThat(offsetDelete.topics().find("wire").partitions().find(0).errorCode()).as(
                    "opaque subscription: the group may be consuming it").isEqualTo(
                    Errors.GROUP_SUBSCRIBED_TO_TOPIC.code());

            assertThat(fetched(raw, "bad", 10)).as("the valid commit survived everything above").isEqualTo(100);
        }
    }

    @Test
    void aWriteThatFailsIsAnsweredWithAnErrorAndTheLogStaysTheTruth() throws Exception {
        try (RawClient raw = new RawClient(broker.bootstrapServers())) {
            findCoordinator(raw, "too-big");
            assertThat(commitError(call(raw, ApiKeys.OFFSET_COMMIT, 9,
                    commit("too-big", "", -1, 9, "wire", topicId, 77)))).isZero();
            JoinGroupResponseData joined = joinAlone(raw, "too-big", 9);
            // an assignment above the offsets topic's max.message.bytes cannot be written
            SyncGroupResponseData synced = call(raw, ApiKeys.SYNC_GROUP, 5, new SyncGroupRequestData()
                    .setGroupId("too-big").setMemberId(joined.memberId()).setGenerationId(joined.generationId())
                    .setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment()
                            .setMemberId(joined.memberId()).setAssignment(new byte[2 * 1024 * 1024]))));
            assertThat(Errors.forCode(synced.errorCode())).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);

            // The shard reloaded from the log: the unwritten generation is gone, the commit is not.
            Await.until("the shard serving again", java.time.Duration.ofSeconds(10), () -> {
                try {
                    HeartbeatResponseData hb = call(raw, ApiKeys.HEARTBEAT, 4, new HeartbeatRequestData()
                            .setGroupId("too-big").setMemberId(joined.memberId())
                            .setGenerationId(joined.generationId()));
                    return hb.errorCode() == Errors.UNKNOWN_MEMBER_ID.code();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(fetched(raw, "too-big", 8)).isEqualTo(77);
        }
    }

    @Test
    void resigningAnOffsetsPartitionAnswersParkedRequestsAndLeadingItAgainReloadsIt() throws Exception {
        var coordinator = broker.broker().groupCoordinator();
        int partition = coordinator.partitionFor("moving");
        try (RawClient a = new RawClient(broker.bootstrapServers());
             RawClient b = new RawClient(broker.bootstrapServers())) {
            findCoordinator(a, "moving");
            JoinGroupResponseData first = joinAlone(a, "moving", 9);
            call(a, ApiKeys.SYNC_GROUP, 5, new SyncGroupRequestData().setGroupId("moving")
                    .setMemberId(first.memberId()).setGenerationId(first.generationId()));
            assertThat(commitError(call(a, ApiKeys.OFFSET_COMMIT, 9,
                    commit("moving", first.memberId(), first.generationId(), 9, "wire", topicId, 55)))).isZero();
            // a second member's JoinGroup parks until the first rejoins
            JoinGroupResponseData pending = call(b, ApiKeys.JOIN_GROUP, 9, join("moving", "", 9));
            b.send(b.frame(ApiKeys.JOIN_GROUP, (short) 9, join("moving", pending.memberId(), 9)));

            coordinator.onResign(partition);
            JoinGroupResponseData answered = (JoinGroupResponseData) RawClient.parse(b.receive(), ApiKeys.JOIN_GROUP,
                    (short) 9).data();
            assertThat(Errors.forCode(answered.errorCode())).isEqualTo(Errors.NOT_COORDINATOR);
            assertThat(Errors.forCode(((HeartbeatResponseData) call(a, ApiKeys.HEARTBEAT, 4,
                    new HeartbeatRequestData().setGroupId("moving").setMemberId(first.memberId())
                            .setGenerationId(first.generationId()))).errorCode())).isEqualTo(Errors.NOT_COORDINATOR);

            int epoch = broker.broker().metadata().topic("__consumer_offsets").partition(partition).leaderEpoch();
            coordinator.onBecomeLeader(partition, epoch);
            Await.until("the group loaded again", java.time.Duration.ofSeconds(10), () -> {
                try {
                    DescribeGroupsResponseData d = call(a, ApiKeys.DESCRIBE_GROUPS, 6,
                            new DescribeGroupsRequestData().setGroups(List.of("moving")));
                    return d.groups().get(0).errorCode() == Errors.NONE.code();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            DescribeGroupsResponseData loaded = call(a, ApiKeys.DESCRIBE_GROUPS, 6,
                    new DescribeGroupsRequestData().setGroups(List.of("moving")));
            assertThat(loaded.groups().get(0).groupState()).isEqualTo("Stable");
            assertThat(loaded.groups().get(0).members()).extracting(m -> m.memberId())
                    .containsExactly(first.memberId());
            assertThat(((HeartbeatResponseData) call(a, ApiKeys.HEARTBEAT, 4, new HeartbeatRequestData()
                    .setGroupId("moving").setMemberId(first.memberId()).setGenerationId(first.generationId())))
                    .errorCode()).isZero();
            assertThat(fetched(a, "moving", 10)).isEqualTo(55);
        }
    }
}
