package io.millrace.engine.group.state;

import static io.millrace.engine.group.state.ShardHarness.joinRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.group.record.GroupRecord;
import io.millrace.engine.group.state.ShardHarness.Captured;
import java.util.Map;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SyncGroupTest {

    private final ShardHarness h = new ShardHarness();
    private String a;
    private String b;

    @BeforeEach
    void twoMembersInGenerationOne() {
        Captured<JoinGroupResponseData> ja = h.joinNew("g");
        Captured<JoinGroupResponseData> jb = h.joinNew("g");
        h.advance(0);
        a = ja.get().memberId();
        b = jb.get().memberId();
        assertThat(ja.get().leader()).isEqualTo(a);
        h.written.clear();
    }

    @Test
    void followersWaitForTheLeadersAssignmentWhichIsWrittenBeforeAnyoneGetsIt() {
        Captured<SyncGroupResponseData> follower = h.sync("g", b, 1, Map.of());
        assertThat(follower.done()).isFalse();

        var result = h.shard.syncGroup(new SyncGroupRequestData().setGroupId("g").setMemberId(a).setGenerationId(1)
                .setAssignments(java.util.List.of(
                        new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(a).setAssignment(new byte[] {1}),
                        new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(b).setAssignment(new byte[] {2}))),
                new Captured<>(), h.now);

        assertThat(result.records()).singleElement().isInstanceOfSatisfying(GroupRecord.GroupMetadata.class, r -> {
            assertThat(r.value().generation()).isEqualTo(1);
            assertThat(r.value().members()).hasSize(2);
        });
        assertThat(result.replies()).hasSize(2);
        assertThat(follower.done()).as("not before the record is written").isFalse();
        h.apply(result);
        assertThat(follower.get().assignment()).containsExactly(2);
        assertThat(follower.get().protocolName()).isEqualTo("range");
        assertThat(h.state("g")).isEqualTo("Stable");
    }

    @Test
    void followerSyncingAfterTheLeaderGetsItsAssignmentAtOnce() {
        Captured<SyncGroupResponseData> leader = h.sync("g", a, 1, Map.of(a, new byte[] {1}, b, new byte[] {2}));
        assertThat(leader.get().assignment()).containsExactly(1);
        Captured<SyncGroupResponseData> follower = h.sync("g", b, 1, Map.of());
        assertThat(follower.get().assignment()).containsExactly(2);
        assertThat(h.written).hasSize(1);
    }

    @Test
    void membersTheLeaderLeftOutGetAnEmptyAssignment() {
        h.sync("g", a, 1, Map.of(a, new byte[] {1}, "stranger", new byte[] {7}));
        assertThat(h.sync("g", b, 1, Map.of()).get().assignment()).isEmpty();
        assertThat(h.shard.describeGroup("g").members()).extracting(m -> m.memberAssignment().length)
                .containsExactlyInAnyOrder(1, 0);
    }

    @Test
    void staleGenerationIsIllegal() {
        assertThat(h.sync("g", a, 0, Map.of()).error()).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(h.sync("g", a, 2, Map.of()).error()).isEqualTo(Errors.ILLEGAL_GENERATION);
    }

    @Test
    void unknownMemberAndUnknownGroupAreUnknownMembers() {
        assertThat(h.sync("g", "ghost", 1, Map.of()).error()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(h.sync("other", a, 1, Map.of()).error()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(h.sync("", a, 1, Map.of()).error()).isEqualTo(Errors.INVALID_GROUP_ID);
    }

    @Test
    void protocolTypeOrNameOtherThanTheGroupsIsInconsistent() {
        SyncGroupRequestData wrongName = new SyncGroupRequestData().setGroupId("g").setMemberId(a).setGenerationId(1)
                .setProtocolType("consumer").setProtocolName("roundrobin");
        assertThat(h.sync(wrongName).error()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
        SyncGroupRequestData wrongType = new SyncGroupRequestData().setGroupId("g").setMemberId(a).setGenerationId(1)
                .setProtocolType("connect");
        assertThat(h.sync(wrongType).error()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
    }

    @Test
    void syncDuringTheJoinPhaseSaysRebalanceInProgress() {
        h.sync("g", a, 1, Map.of());
        h.sync("g", b, 1, Map.of());
        h.joinNew("g");
        assertThat(h.sync("g", b, 1, Map.of()).error()).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    }

    @Test
    void aRebalanceStartingWhileFollowersWaitTellsThemToRejoin() {
        Captured<SyncGroupResponseData> follower = h.sync("g", b, 1, Map.of());
        h.joinNew("g");
        assertThat(follower.error()).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    }

    @Test
    void membersThatNeverSyncLeaveAfterTheRebalanceTimeout() {
        h.sync("g", a, 1, Map.of(a, new byte[] {1}, b, new byte[] {2}));
        // b never sends SyncGroup; a heartbeats
        for (int i = 0; i < 6; i++) {
            h.advance(ShardHarness.REBALANCE_MS / 6);
            h.heartbeat("g", a, 1);
        }
        assertThat(h.state("g")).isEqualTo("PreparingRebalance");
        assertThat(h.heartbeat("g", b, 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        Captured<JoinGroupResponseData> rejoin = h.join(joinRequest("g", a, "range"));
        assertThat(rejoin.get().generationId()).isEqualTo(2);
        assertThat(rejoin.get().members()).hasSize(1);
    }
}
