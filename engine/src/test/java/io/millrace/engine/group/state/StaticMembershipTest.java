package io.millrace.engine.group.state;

import static io.millrace.engine.group.state.ShardHarness.commitRequest;
import static io.millrace.engine.group.state.ShardHarness.commitError;
import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.group.record.GroupRecord;
import io.millrace.engine.group.state.ShardHarness.Captured;
import java.util.Map;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StaticMembershipTest {

    private final ShardHarness h = new ShardHarness();
    private String leader;
    private String follower;

    @BeforeEach
    void stableGroupOfTwoStaticMembers() {
        Captured<JoinGroupResponseData> j1 = h.joinStatic("g", "instance-1", "");
        Captured<JoinGroupResponseData> j2 = h.joinStatic("g", "instance-2", "");
        h.advance(0);
        leader = j1.get().memberId();
        follower = j2.get().memberId();
        h.sync("g", leader, 1, Map.of(leader, new byte[] {1}, follower, new byte[] {2}));
        h.sync("g", follower, 1, Map.of());
        h.written.clear();
    }

    @Test
    void aRestartedFollowerGetsItsAssignmentBackWithoutARebalance() {
        Captured<JoinGroupResponseData> back = h.joinStatic("g", "instance-2", "");

        JoinGroupResponseData r = back.get();
        assertThat(Errors.forCode(r.errorCode())).isEqualTo(Errors.NONE);
        assertThat(r.memberId()).isNotEqualTo(follower).startsWith("instance-2-");
        assertThat(r.generationId()).isEqualTo(1);
        assertThat(r.members()).isEmpty();
        assertThat(h.state("g")).isEqualTo("Stable");
        assertThat(h.written).as("the new member id is recorded").singleElement()
                .isInstanceOf(GroupRecord.GroupMetadata.class);

        Captured<SyncGroupResponseData> sync = h.sync("g", r.memberId(), 1, Map.of());
        assertThat(sync.get().assignment()).containsExactly(2);
        assertThat(h.heartbeat("g", leader, 1)).isEqualTo(Errors.NONE);
    }

    @Test
    void theOldMemberIdOfARestartedInstanceIsFenced() {
        String newId = h.joinStatic("g", "instance-2", "").get().memberId();

        assertThat(h.heartbeat("g", follower, 1, "instance-2")).isEqualTo(Errors.FENCED_INSTANCE_ID);
        assertThat(h.sync(new SyncGroupRequestData().setGroupId("g").setMemberId(follower).setGenerationId(1)
                .setGroupInstanceId("instance-2")).error()).isEqualTo(Errors.FENCED_INSTANCE_ID);
        assertThat(h.joinStatic("g", "instance-2", follower).error()).isEqualTo(Errors.FENCED_INSTANCE_ID);
        assertThat(commitError(h.commit(commitRequest("g", follower, 1, "t", 5).setGroupInstanceId("instance-2"))))
                .isEqualTo(Errors.FENCED_INSTANCE_ID);

        assertThat(commitError(h.commit(commitRequest("g", newId, 1, "t", 6).setGroupInstanceId("instance-2"))))
                .isEqualTo(Errors.NONE);
        assertThat(h.committed("g", "t", 0)).as("the fenced commit stored nothing").isEqualTo(6);
    }

    @Test
    void aRestartedLeaderOnNewClientsIsToldItLeadsButToSkipTheAssignment() {
        Captured<JoinGroupResponseData> back = h.joinStatic("g", "instance-1", "");
        assertThat(back.get().leader()).isEqualTo(back.get().memberId());
        assertThat(back.get().skipAssignment()).isTrue();
        assertThat(back.get().members()).hasSize(2);
        assertThat(h.state("g")).isEqualTo("Stable");
    }

    @Test
    void aRestartedLeaderOnOlderClientsSeesTheOldLeaderIdSoItDoesNotAssign() {
        JoinGroupRequestData request = ShardHarness.joinRequest("g", "", "range").setGroupInstanceId("instance-1");
        Captured<JoinGroupResponseData> back = h.join(request, (short) 5);
        assertThat(back.get().leader()).isEqualTo(leader);
        assertThat(back.get().memberId()).isNotEqualTo(leader);
        assertThat(back.get().skipAssignment()).isFalse();
        assertThat(h.state("g")).isEqualTo("Stable");
    }

    @Test
    void aRestartWithProtocolsThatChangeTheGroupsChoiceRebalances() {
        ShardHarness two = new ShardHarness();
        Captured<JoinGroupResponseData> j1 = two.joinStatic("g", "instance-1", "", "range", "roundrobin");
        two.advance(0);
        String id1 = j1.get().memberId();
        two.sync("g", id1, 1, Map.of());
        assertThat(j1.get().protocolName()).isEqualTo("range");

        Captured<JoinGroupResponseData> back = two.joinStatic("g", "instance-1", "", "roundrobin", "range");
        // the only member rejoined, so the new generation starts at once
        assertThat(back.get().generationId()).isEqualTo(2);
        assertThat(back.get().protocolName()).isEqualTo("roundrobin");
        assertThat(two.state("g")).isEqualTo("CompletingRebalance");
        assertThat(two.heartbeat("g", id1, 1, "instance-1")).isEqualTo(Errors.FENCED_INSTANCE_ID);
    }

    @Test
    void staticMembersThatMissAJoinPhaseKeepTheirPlace() {
        Captured<JoinGroupResponseData> dyn = h.joinNew("g");
        Captured<JoinGroupResponseData> l = h.joinStatic("g", "instance-1", leader);
        for (int i = 0; i < 6; i++) {
            assertThat(l.done()).isFalse();
            h.advance(ShardHarness.REBALANCE_MS / 6);
            h.heartbeat("g", follower, 1, "instance-2");
        }

        assertThat(l.get().generationId()).isEqualTo(2);
        assertThat(l.get().members()).extracting(m -> m.groupInstanceId())
                .containsExactlyInAnyOrder("instance-1", "instance-2", null);
        assertThat(dyn.get().generationId()).isEqualTo(2);
    }

    @Test
    void aStaticMemberThatStopsHeartbeatingIsRemovedAfterItsSessionTimeout() {
        h.advance(ShardHarness.SESSION_MS - 1);
        h.heartbeat("g", leader, 1, "instance-1");
        h.advance(1);
        assertThat(h.state("g")).isEqualTo("PreparingRebalance");
        Captured<JoinGroupResponseData> again = h.joinStatic("g", "instance-2", "");
        assertThat(again.done()).isFalse();
        Captured<JoinGroupResponseData> l = h.joinStatic("g", "instance-1", leader);
        assertThat(l.get().members()).hasSize(2);
    }

    @Test
    void leaveByInstanceIdRemovesTheStaticMember() {
        h.leave("g", new org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity().setMemberId("")
                .setGroupInstanceId("instance-2"));
        assertThat(h.state("g")).isEqualTo("PreparingRebalance");
        assertThat(h.shard.describeGroup("g").members()).extracting(m -> m.groupInstanceId())
                .containsExactly("instance-1");
    }
}
