package io.millrace.engine.group.state;

import static io.millrace.engine.group.state.ShardHarness.commitError;
import static io.millrace.engine.group.state.ShardHarness.commitRequest;
import static io.millrace.engine.group.state.ShardHarness.joinRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.group.GroupCoordinatorConfig;
import io.millrace.engine.group.record.GroupRecord;
import io.millrace.engine.group.state.ShardHarness.Captured;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class OffsetCommitFetchTest {

    private final ShardHarness h = new ShardHarness();

    private String stableSingleMember(String groupId) {
        Captured<JoinGroupResponseData> j = h.joinNew(groupId);
        h.advance(0);
        String id = j.get().memberId();
        h.sync(groupId, id, 1, Map.of(id, new byte[0]));
        return id;
    }

    @Test
    void standaloneConsumersCommitWithoutAGeneration() {
        OffsetCommitResponseData r = h.commit(commitRequest("solo", "", -1, "t", 10, 20));
        assertThat(commitError(r)).isEqualTo(Errors.NONE);
        assertThat(h.committed("solo", "t", 0)).isEqualTo(10);
        assertThat(h.committed("solo", "t", 1)).isEqualTo(20);
        assertThat(h.written).hasSize(2).allSatisfy(rec -> assertThat(rec).isInstanceOf(GroupRecord.OffsetCommit.class));
        assertThat(h.state("solo")).isEqualTo("Empty");
    }

    @Test
    void membersCommitInTheirGeneration() {
        String m = stableSingleMember("g");
        assertThat(commitError(h.commit(commitRequest("g", m, 1, "t", 7)))).isEqualTo(Errors.NONE);
        assertThat(h.committed("g", "t", 0)).isEqualTo(7);
    }

    @Test
    void commitsFromStaleGenerationsOrUnknownMembersAreRejectedAndStoreNothing() {
        String m = stableSingleMember("g");
        h.commit(commitRequest("g", m, 1, "t", 7));
        int before = h.written.size();

        assertThat(commitError(h.commit(commitRequest("g", m, 0, "t", 1)))).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(commitError(h.commit(commitRequest("g", "ghost", 1, "t", 2)))).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(commitError(h.commit(commitRequest("g", "", -1, "t", 3)))).as("not a member of a live group")
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(commitError(h.commit(commitRequest("unknown-group", m, 4, "t", 4))))
                .isEqualTo(Errors.ILLEGAL_GENERATION);

        assertThat(h.committed("g", "t", 0)).isEqualTo(7);
        assertThat(h.written).hasSize(before);
        assertThat(h.shard.groupCount()).isEqualTo(1);
    }

    @Test
    void commitsWhileTheAssignmentIsPendingAskTheMemberToRetry() {
        Captured<JoinGroupResponseData> j = h.joinNew("g");
        h.advance(0);
        assertThat(commitError(h.commit(commitRequest("g", j.get().memberId(), 1, "t", 1))))
                .isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    }

    @Test
    void commitsDuringTheJoinPhaseAreAccepted() {
        String m = stableSingleMember("g");
        h.joinNew("g");
        assertThat(h.state("g")).isEqualTo("PreparingRebalance");
        assertThat(commitError(h.commit(commitRequest("g", m, 1, "t", 9)))).isEqualTo(Errors.NONE);
    }

    @Test
    void tooLongMetadataFailsOnlyThatPartition() {
        ShardHarness small = new ShardHarness(Map.of(GroupCoordinatorConfig.OFFSET_METADATA_MAX_BYTES, "3"));
        OffsetCommitRequestData request = commitRequest("g", "", -1, "t", 1, 2);
        request.topics().get(0).partitions().get(1).setCommittedMetadata("four");
        OffsetCommitResponseData r = small.commit(request);
        assertThat(r.topics().get(0).partitions()).extracting(p -> Errors.forCode(p.errorCode()))
                .containsExactly(Errors.NONE, Errors.OFFSET_METADATA_TOO_LARGE);
        assertThat(small.committed("g", "t", 0)).isEqualTo(1);
        assertThat(small.committed("g", "t", 1)).isEqualTo(-1);
    }

    @Test
    void fetchReturnsOffsetEpochAndMetadataAndMinusOneForTheRest() {
        h.commit(commitRequest("g", "", -1, "t", 5));
        OffsetFetchResponseGroup r = h.shard.fetchOffsets(new OffsetFetchRequestGroup().setGroupId("g")
                .setTopics(List.of(new OffsetFetchRequestTopics().setName("t").setPartitionIndexes(List.of(0, 1)),
                        new OffsetFetchRequestTopics().setName("other").setPartitionIndexes(List.of(0)))));

        assertThat(r.topics()).hasSize(2);
        OffsetFetchResponsePartitions p0 = r.topics().get(0).partitions().get(0);
        assertThat(p0.committedOffset()).isEqualTo(5);
        assertThat(p0.committedLeaderEpoch()).isEqualTo(3);
        assertThat(p0.metadata()).isEqualTo("m0");
        assertThat(r.topics().get(0).partitions().get(1).committedOffset()).isEqualTo(-1);
        assertThat(r.topics().get(1).partitions().get(0).committedOffset()).isEqualTo(-1);
        assertThat(r.topics().get(1).partitions().get(0).errorCode()).isEqualTo(Errors.NONE.code());
    }

    @Test
    void fetchWithoutTopicsReturnsEverythingTheGroupCommitted() {
        h.commit(commitRequest("g", "", -1, "b", 1, 2));
        h.commit(commitRequest("g", "a", -1, "a", 3).setMemberId(""));
        OffsetFetchResponseGroup r = h.fetchAll("g");
        assertThat(r.topics()).extracting(t -> t.name()).containsExactly("a", "b");
        assertThat(r.topics().get(1).partitions()).extracting(p -> p.committedOffset()).containsExactly(1L, 2L);
        assertThat(h.fetchAll("nobody").topics()).isEmpty();
    }

    @Test
    void severalGroupsKeepTheirOwnOffsets() {
        h.commit(commitRequest("g1", "", -1, "t", 1));
        h.commit(commitRequest("g2", "", -1, "t", 2));
        assertThat(h.committed("g1", "t", 0)).isEqualTo(1);
        assertThat(h.committed("g2", "t", 0)).isEqualTo(2);
    }

    @Test
    void aLaterCommitReplacesTheEarlierOne() {
        h.commit(commitRequest("g", "", -1, "t", 1));
        h.commit(commitRequest("g", "", -1, "t", 100));
        assertThat(h.committed("g", "t", 0)).isEqualTo(100);
    }

    @Test
    void adminToolsMayCommitForAnEmptyConsumerGroup() {
        String m = stableSingleMember("g");
        h.leave("g", new org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity().setMemberId(m));
        assertThat(h.state("g")).isEqualTo("Empty");
        assertThat(commitError(h.commit(commitRequest("g", "", -1, "t", 11)))).isEqualTo(Errors.NONE);
        assertThat(commitError(h.commit(commitRequest("g", m, 1, "t", 12)))).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(h.committed("g", "t", 0)).isEqualTo(11);
    }

    @Test
    void aRejoiningMemberOfAStaleGenerationCannotOverwriteNewerCommits() {
        String a = stableSingleMember("g");
        Captured<JoinGroupResponseData> jb = h.joinNew("g");
        Captured<JoinGroupResponseData> ja = h.join(joinRequest("g", a, "range"));
        String b = jb.get().memberId();
        h.sync("g", a, 2, Map.of(a, new byte[0], b, new byte[0]));
        h.commit(commitRequest("g", b, 2, "t", 50));

        assertThat(ja.get().generationId()).isEqualTo(2);
        assertThat(commitError(h.commit(commitRequest("g", a, 1, "t", 10)))).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(h.committed("g", "t", 0)).isEqualTo(50);
    }
}
