package io.millrace.engine.group.state;

import static io.millrace.engine.group.state.ShardHarness.commitRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.group.record.GroupRecord;
import io.millrace.engine.group.state.ShardHarness.Captured;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GroupAdminTest {

    private final ShardHarness h = new ShardHarness();
    private String member;

    @BeforeEach
    void oneStableGroupOneRebalancingGroupOneStandaloneGroup() {
        Captured<JoinGroupResponseData> j = h.joinNew("stable");
        h.advance(0);
        member = j.get().memberId();
        h.sync("stable", member, 1, Map.of(member, new byte[] {4, 2}));
        h.commit(commitRequest("stable", member, 1, "topic", 5));
        h.commit(commitRequest("stable", member, 1, "unsubscribed", 6));
        h.joinNew("joining");
        h.commit(commitRequest("standalone", "", -1, "topic", 1));
    }

    @Test
    void listGroupsShowsEveryGroupWithItsStateAndType() {
        List<ListedGroup> all = h.shard.listGroups(Set.of(), Set.of());
        assertThat(all).extracting(ListedGroup::groupId, ListedGroup::groupState, ListedGroup::protocolType,
                ListedGroup::groupType).containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("stable", "Stable", "consumer", "classic"),
                        org.assertj.core.groups.Tuple.tuple("joining", "PreparingRebalance", "consumer", "classic"),
                        org.assertj.core.groups.Tuple.tuple("standalone", "Empty", "", "classic"));
    }

    @Test
    void listGroupsFiltersByStateAndTypeIgnoringCase() {
        assertThat(h.shard.listGroups(Set.of("stable", "EMPTY"), Set.of())).extracting(ListedGroup::groupId)
                .containsExactlyInAnyOrder("stable", "standalone");
        assertThat(h.shard.listGroups(Set.of(), Set.of("Classic"))).hasSize(3);
        assertThat(h.shard.listGroups(Set.of(), Set.of("consumer"))).isEmpty();
        assertThat(h.shard.listGroups(Set.of("Dead"), Set.of())).isEmpty();
    }

    @Test
    void describeAStableGroupShowsMetadataAndAssignments() {
        DescribedGroup g = h.shard.describeGroup("stable");
        assertThat(g.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(g.groupState()).isEqualTo("Stable");
        assertThat(g.protocolType()).isEqualTo("consumer");
        assertThat(g.protocolData()).isEqualTo("range");
        assertThat(g.members()).singleElement().satisfies(m -> {
            assertThat(m.memberId()).isEqualTo(member);
            assertThat(m.clientId()).isEqualTo("client");
            assertThat(m.clientHost()).isEqualTo("/127.0.0.1");
            assertThat(m.memberMetadata()).isEqualTo(ShardHarness.subscription("topic"));
            assertThat(m.memberAssignment()).containsExactly(4, 2);
        });
    }

    @Test
    void describeARebalancingGroupShowsMembersWithoutTheirBytes() {
        DescribedGroup g = h.shard.describeGroup("joining");
        assertThat(g.groupState()).isEqualTo("PreparingRebalance");
        assertThat(g.protocolData()).isEmpty();
        assertThat(g.members()).singleElement().satisfies(m -> {
            assertThat(m.memberMetadata()).isEmpty();
            assertThat(m.memberAssignment()).isEmpty();
        });
    }

    @Test
    void describeAnUnknownGroupSaysDeadAndNotFound() {
        DescribedGroup g = h.shard.describeGroup("nope");
        assertThat(g.groupState()).isEqualTo("Dead");
        assertThat(g.errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
    }

    @Test
    void deleteGroupsRemovesOnlyEmptyGroupsWithTombstones() {
        h.written.clear();
        List<DeletableGroupResult> results = h.apply(h.shard.deleteGroups(
                List.of("standalone", "stable", "nope"), h.now));
        assertThat(results).extracting(DeletableGroupResult::errorCode).containsExactly(
                Errors.NONE.code(), Errors.NON_EMPTY_GROUP.code(), Errors.GROUP_ID_NOT_FOUND.code());
        assertThat(h.written).allSatisfy(r -> {
            assertThat(r.isTombstone()).isTrue();
            assertThat(r.groupId()).isEqualTo("standalone");
        }).hasSize(2);
        assertThat(h.state("standalone")).isEqualTo("Dead");
        assertThat(h.fetchAll("standalone").topics()).isEmpty();
        assertThat(h.committed("stable", "topic", 0)).isEqualTo(5);
    }

    private OffsetDeleteResponseData offsetDelete(String groupId, String... topics) {
        OffsetDeleteRequestTopicCollection collection = new OffsetDeleteRequestTopicCollection();
        for (String t : topics) {
            collection.add(new OffsetDeleteRequestTopic().setName(t)
                    .setPartitions(List.of(new OffsetDeleteRequestPartition().setPartitionIndex(0))));
        }
        return h.apply(h.shard.deleteOffsets(new OffsetDeleteRequestData().setGroupId(groupId).setTopics(collection)));
    }

    @Test
    void offsetDeleteSparesTopicsTheGroupConsumes() {
        OffsetDeleteResponseData r = offsetDelete("stable", "topic", "unsubscribed");
        assertThat(r.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(r.topics().find("topic").partitions().find(0).errorCode())
                .isEqualTo(Errors.GROUP_SUBSCRIBED_TO_TOPIC.code());
        assertThat(r.topics().find("unsubscribed").partitions().find(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(h.committed("stable", "topic", 0)).isEqualTo(5);
        assertThat(h.committed("stable", "unsubscribed", 0)).isEqualTo(-1);
    }

    @Test
    void offsetDeleteOfAnEmptyGroupDeletesAnything() {
        OffsetDeleteResponseData r = offsetDelete("standalone", "topic");
        assertThat(r.topics().find("topic").partitions().find(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(h.committed("standalone", "topic", 0)).isEqualTo(-1);
        assertThat(h.written.get(h.written.size() - 1)).isEqualTo(GroupRecord.OffsetCommit.tombstone("standalone",
                new org.apache.kafka.common.TopicPartition("topic", 0)));
    }

    @Test
    void offsetDeleteErrors() {
        assertThat(offsetDelete("nope", "topic").errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        assertThat(offsetDelete("", "topic").errorCode()).isEqualTo(Errors.INVALID_GROUP_ID.code());
        JoinGroupRequestData connect = ShardHarness.joinRequest("connect", "", "v1").setProtocolType("connect");
        Captured<JoinGroupResponseData> first = h.join(connect);
        h.join(connect.duplicate().setMemberId(first.get().memberId()));
        assertThat(offsetDelete("connect", "topic").errorCode()).isEqualTo(Errors.NON_EMPTY_GROUP.code());
    }
}
