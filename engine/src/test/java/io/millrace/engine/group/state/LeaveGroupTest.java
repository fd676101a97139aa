package io.millrace.engine.group.state;

import static io.millrace.engine.group.state.ShardHarness.joinRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.group.record.GroupRecord;
import io.millrace.engine.group.state.ShardHarness.Captured;
import java.util.Map;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData.MemberResponse;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LeaveGroupTest {

    private final ShardHarness h = new ShardHarness();
    private String a;
    private String b;
    private String s;

    @BeforeEach
    void stableGroupWithTwoDynamicAndOneStaticMember() {
        Captured<JoinGroupResponseData> ja = h.joinNew("g");
        Captured<JoinGroupResponseData> jb = h.joinNew("g");
        Captured<JoinGroupResponseData> js = h.joinStatic("g", "instance-s", "");
        h.advance(0);
        a = ja.get().memberId();
        b = jb.get().memberId();
        s = js.get().memberId();
        h.sync("g", a, 1, Map.of());
        h.written.clear();
    }

    private static MemberIdentity member(String memberId) {
        return new MemberIdentity().setMemberId(memberId);
    }

    @Test
    void aLeavingMemberStartsARebalanceAtOnce() {
        LeaveGroupResponseData response = h.leave("g", member(b));
        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.NONE);
        assertThat(response.members()).singleElement().satisfies(m -> {
            assertThat(m.memberId()).isEqualTo(b);
            assertThat(Errors.forCode(m.errorCode())).isEqualTo(Errors.NONE);
        });
        assertThat(h.state("g")).isEqualTo("PreparingRebalance");
        assertThat(h.heartbeat("g", b, 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void batchedLeaveAnswersEachMember() {
        LeaveGroupResponseData response = h.leave("g", member(a), member("ghost"),
                new MemberIdentity().setMemberId("").setGroupInstanceId("instance-s"),
                new MemberIdentity().setMemberId("").setGroupInstanceId("instance-unknown"));
        assertThat(response.members()).extracting(MemberResponse::errorCode).containsExactly(
                Errors.NONE.code(), Errors.UNKNOWN_MEMBER_ID.code(), Errors.NONE.code(),
                Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(h.shard.describeGroup("g").members()).extracting(m -> m.memberId()).containsExactly(b);
    }

    @Test
    void theLeaderLeavingHandsLeadershipOn() {
        h.leave("g", member(a));
        Captured<JoinGroupResponseData> jb = h.join(joinRequest("g", b, "range"));
        Captured<JoinGroupResponseData> js = h.joinStatic("g", "instance-s", s);
        assertThat(jb.get().leader()).isEqualTo(b);
        assertThat(js.get().leader()).isEqualTo(b);
        assertThat(jb.get().generationId()).isEqualTo(2);
    }

    @Test
    void theLastMembersLeavingEmptiesTheGroupAndWritesIt() {
        h.leave("g", member(a), member(b), new MemberIdentity().setMemberId(s).setGroupInstanceId("instance-s"));
        assertThat(h.state("g")).isEqualTo("Empty");
        assertThat(h.written).singleElement().isInstanceOfSatisfying(GroupRecord.GroupMetadata.class, r -> {
            assertThat(r.value().members()).isEmpty();
            assertThat(r.value().generation()).isEqualTo(2);
        });
    }

    @Test
    void aStaticMemberLeavingUnderAnOldMemberIdIsFenced() {
        LeaveGroupResponseData response = h.leave("g",
                new MemberIdentity().setMemberId("old-id").setGroupInstanceId("instance-s"));
        assertThat(response.members().get(0).errorCode()).isEqualTo(Errors.FENCED_INSTANCE_ID.code());
        assertThat(h.state("g")).isEqualTo("Stable");
    }

    @Test
    void leavingAnUnknownGroupReportsUnknownMembers() {
        LeaveGroupResponseData response = h.leave("nope", member(a));
        assertThat(response.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.members().get(0).errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(h.leave("", member(a)).errorCode()).isEqualTo(Errors.INVALID_GROUP_ID.code());
    }

    @Test
    void aPendingMemberCanLeaveAndNoLongerHoldsUpTheJoinPhase() {
        Captured<JoinGroupResponseData> first = h.join(joinRequest("g", "", "range"));
        String pending = first.get().memberId();
        Captured<JoinGroupResponseData> ra = h.join(joinRequest("g", a, "range"));
        h.join(joinRequest("g", b, "range"));
        h.joinStatic("g", "instance-s", s);
        assertThat(ra.done()).as("the pending member may still join this generation").isFalse();
        assertThat(h.leave("g", member(pending)).members().get(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(ra.get().generationId()).isEqualTo(2);
        assertThat(h.join(joinRequest("g", pending, "range")).error()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void aMemberRemovedWhileWaitingForItsAssignmentIsAnswered() {
        h.join(joinRequest("g", a, "range"));
        h.join(joinRequest("g", b, "range"));
        h.joinStatic("g", "instance-s", s);
        Captured<org.apache.kafka.common.message.SyncGroupResponseData> waiting = h.sync("g", b, 2, Map.of());
        h.leave("g", new MemberIdentity().setMemberId(b));
        assertThat(waiting.error()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }
}
