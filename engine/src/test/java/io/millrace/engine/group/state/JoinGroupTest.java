package io.millrace.engine.group.state;

import static io.millrace.engine.group.state.ShardHarness.joinRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.group.GroupCoordinatorConfig;
import io.millrace.engine.group.state.ShardHarness.Captured;
import java.util.Map;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData.JoinGroupResponseMember;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class JoinGroupTest {

    private final ShardHarness h = new ShardHarness();

    @Test
    void newMemberGetsItsIdThroughMemberIdRequired() {
        Captured<JoinGroupResponseData> first = h.join(joinRequest("g", "", "range"));

        assertThat(first.error()).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        assertThat(first.get().memberId()).isEqualTo("client-u1");
        assertThat(h.state("g")).isEqualTo("Empty");

        Captured<JoinGroupResponseData> second = h.join(joinRequest("g", "client-u1", "range"));
        assertThat(second.done()).as("parked during the initial delay").isFalse();
        h.advance(0);

        JoinGroupResponseData r = second.get();
        assertThat(Errors.forCode(r.errorCode())).isEqualTo(Errors.NONE);
        assertThat(r.memberId()).isEqualTo("client-u1");
        assertThat(r.generationId()).isEqualTo(1);
        assertThat(r.leader()).isEqualTo("client-u1");
        assertThat(r.protocolName()).isEqualTo("range");
        assertThat(r.protocolType()).isEqualTo("consumer");
        assertThat(r.members()).extracting(JoinGroupResponseMember::memberId).containsExactly("client-u1");
        assertThat(h.state("g")).isEqualTo("CompletingRebalance");
    }

    @Test
    void oldClientsJoinWithoutTheRoundTrip() {
        Captured<JoinGroupResponseData> join = h.join(joinRequest("g", "", "range"), (short) 3);
        h.advance(0);

        assertThat(join.error()).isEqualTo(Errors.NONE);
        assertThat(join.get().memberId()).isEqualTo("client-u1");
        assertThat(join.get().generationId()).isEqualTo(1);
    }

    @Test
    void versionZeroUsesTheSessionTimeoutAsRebalanceTimeout() {
        JoinGroupRequestData request = joinRequest("g", "", "range").setRebalanceTimeoutMs(-1);
        Captured<JoinGroupResponseData> a = h.join(request, (short) 0);
        h.advance(0);
        String leader = a.get().memberId();
        // a rebalance now lasts at most the session timeout
        Captured<JoinGroupResponseData> b = h.join(joinRequest("g", "", "range"), (short) 0);
        h.advance(ShardHarness.SESSION_MS - 1);
        assertThat(b.done()).isFalse();
        h.advance(1);
        assertThat(b.error()).isEqualTo(Errors.NONE);
        assertThat(b.get().members()).as("b leads: the leader did not rejoin").hasSize(1);
        assertThat(b.get().leader()).isNotEqualTo(leader);
    }

    @Test
    void initialDelayGathersMembersStartingTogetherIntoOneGeneration() {
        ShardHarness delayed = new ShardHarness(Map.of(GroupCoordinatorConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "3000"));
        Captured<JoinGroupResponseData> a = delayed.joinNew("g");
        delayed.advance(2000);
        Captured<JoinGroupResponseData> b = delayed.joinNew("g");
        delayed.advance(1000);
        assertThat(a.done()).as("a new member extended the delay").isFalse();
        delayed.advance(2999);
        assertThat(a.done()).isFalse();
        delayed.advance(1);

        assertThat(a.get().generationId()).isEqualTo(1);
        assertThat(b.get().generationId()).isEqualTo(1);
        assertThat(a.get().members()).hasSize(2);
        assertThat(b.get().members()).as("only the leader gets the members").isEmpty();
    }

    @Test
    void initialDelayNeverExceedsTheRebalanceTimeout() {
        ShardHarness delayed = new ShardHarness(Map.of(GroupCoordinatorConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "20000"));
        Captured<JoinGroupResponseData> a = delayed.joinNew("g");
        for (int i = 0; i < 5; i++) {
            delayed.advance(5000);
            delayed.joinNew("g");
        }
        // rebalance timeout 30 s: delay 20 s, then at most 10 s more
        assertThat(delayed.now).isGreaterThanOrEqualTo(1_000_000L + 25_000);
        delayed.advance(5_000);
        assertThat(a.done()).isTrue();
        assertThat(a.get().members()).hasSize(6);
    }

    @Test
    void rebalanceCompletesAsSoonAsEveryMemberRejoined() {
        Captured<JoinGroupResponseData> a = h.joinNew("g");
        h.advance(0);
        String aId = a.get().memberId();
        h.sync("g", aId, 1, Map.of(aId, new byte[] {1}));

        Captured<JoinGroupResponseData> b = h.joinNew("g");
        assertThat(h.state("g")).isEqualTo("PreparingRebalance");
        assertThat(b.done()).isFalse();
        Captured<JoinGroupResponseData> aAgain = h.join(joinRequest("g", aId, "range"));

        assertThat(aAgain.get().generationId()).isEqualTo(2);
        assertThat(b.get().generationId()).isEqualTo(2);
        assertThat(aAgain.get().leader()).isEqualTo(aId);
        assertThat(aAgain.get().members()).hasSize(2);
    }

    @Test
    void membersThatDoNotRejoinWithinTheRebalanceTimeoutAreRemoved() {
        Captured<JoinGroupResponseData> a = h.joinNew("g");
        h.advance(0);
        String aId = a.get().memberId();
        h.sync("g", aId, 1, Map.of());

        Captured<JoinGroupResponseData> b = h.joinNew("g");
        // a keeps heartbeating but never rejoins
        for (int i = 0; i < 5; i++) {
            h.advance(ShardHarness.SESSION_MS / 2);
            assertThat(h.heartbeat("g", aId, 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        }
        h.advance(ShardHarness.REBALANCE_MS);

        assertThat(b.get().generationId()).isEqualTo(2);
        assertThat(b.get().leader()).isEqualTo(b.get().memberId());
        assertThat(b.get().members()).extracting(JoinGroupResponseMember::memberId)
                .containsExactly(b.get().memberId());
        assertThat(h.heartbeat("g", aId, 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void sessionTimeoutOutsideTheBrokerLimitsIsRejected() {
        assertThat(h.join(joinRequest("g", "", "range").setSessionTimeoutMs(5999)).error())
                .isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
        assertThat(h.join(joinRequest("g", "", "range").setSessionTimeoutMs(1_800_001)).error())
                .isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
        assertThat(h.shard.groupCount()).isZero();
    }

    @Test
    void emptyGroupIdIsInvalid() {
        assertThat(h.join(joinRequest("", "", "range")).error()).isEqualTo(Errors.INVALID_GROUP_ID);
    }

    @Test
    void knownMemberIdForAnUnknownGroupIsUnknown() {
        assertThat(h.join(joinRequest("g", "ghost", "range")).error()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(h.shard.groupCount()).isZero();
    }

    @Test
    void unknownMemberIdInAnExistingGroupIsUnknown() {
        h.joinNew("g");
        h.advance(0);
        assertThat(h.join(joinRequest("g", "ghost", "range")).error()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void memberWithoutProtocolsCannotStartAGroup() {
        JoinGroupRequestData request = joinRequest("g", "").setProtocols(new JoinGroupRequestProtocolCollection());
        assertThat(h.join(request).error()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
        assertThat(h.join(joinRequest("g", "", "range").setProtocolType("")).error())
                .isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
        assertThat(h.shard.groupCount()).isZero();
    }

    @Test
    void memberOfAnotherProtocolTypeIsTurnedAway() {
        h.joinNew("g");
        h.advance(0);
        Captured<JoinGroupResponseData> connect = h.join(joinRequest("g", "", "range").setProtocolType("connect"));
        assertThat(connect.error()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
    }

    @Test
    void memberSharingNoProtocolWithTheGroupIsTurnedAway() {
        h.joinNew("g", "range", "roundrobin");
        h.advance(0);
        assertThat(h.join(joinRequest("g", "", "sticky")).error()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
        assertThat(h.join(joinRequest("g", "", "sticky", "roundrobin")).error())
                .as("one common protocol is enough").isEqualTo(Errors.MEMBER_ID_REQUIRED);
    }

    @Test
    void theProtocolMostMembersPreferAmongCommonOnesWins() {
        Captured<JoinGroupResponseData> a = h.joinNew("g", "cooperative-sticky", "range");
        Captured<JoinGroupResponseData> b = h.joinNew("g", "range", "cooperative-sticky");
        Captured<JoinGroupResponseData> c = h.joinNew("g", "roundrobin", "cooperative-sticky", "range");
        h.advance(0);
        // candidates: cooperative-sticky and range; votes: a and c for cooperative-sticky, b for range
        assertThat(a.get().protocolName()).isEqualTo("cooperative-sticky");
        assertThat(b.get().protocolName()).isEqualTo("cooperative-sticky");
        assertThat(c.get().protocolName()).isEqualTo("cooperative-sticky");
    }

    @Test
    void customProtocolTypesWork() {
        JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestProtocol().setName("sessioned").setMetadata(new byte[] {9, 9}));
        protocols.add(new JoinGroupRequestProtocol().setName("eager").setMetadata(new byte[] {8}));
        JoinGroupRequestData request = joinRequest("connect-cluster", "").setProtocolType("connect")
                .setProtocols(protocols);
        Captured<JoinGroupResponseData> first = h.join(request);
        Captured<JoinGroupResponseData> join = h.join(request.duplicate().setMemberId(first.get().memberId()));
        h.advance(0);

        assertThat(join.get().protocolType()).isEqualTo("connect");
        assertThat(join.get().protocolName()).isEqualTo("sessioned");
        assertThat(join.get().members().get(0).metadata()).containsExactly(9, 9);
    }

    @Test
    void groupMaxSizeTurnsAwayExtraMembers() {
        ShardHarness small = new ShardHarness(Map.of(GroupCoordinatorConfig.GROUP_MAX_SIZE, "2",
                GroupCoordinatorConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0"));
        Captured<JoinGroupResponseData> a = small.joinNew("g");
        Captured<JoinGroupResponseData> b = small.joinNew("g");
        Captured<JoinGroupResponseData> c = small.join(joinRequest("g", "", "range"));

        assertThat(c.error()).isEqualTo(Errors.GROUP_MAX_SIZE_REACHED);
        small.advance(0);
        assertThat(a.get().members()).hasSize(2);
        assertThat(b.error()).isEqualTo(Errors.NONE);
    }

    @Test
    void aDuplicateJoinFromAParkedMemberAnswersTheOlderOne() {
        Captured<JoinGroupResponseData> a = h.joinNew("g");
        h.advance(0);
        String aId = a.get().memberId();
        h.sync("g", aId, 1, Map.of());
        Captured<JoinGroupResponseData> b = h.joinNew("g");
        Captured<JoinGroupResponseData> aFirst = h.join(joinRequest("g", aId, "range").setReason("first"));
        // aFirst completes the phase at once (a and b both joined): use a third member to keep it open
        assertThat(aFirst.done()).isTrue();
        assertThat(b.done()).isTrue();
        String bId = b.get().memberId();
        h.sync("g", aId, 2, Map.of());
        Captured<JoinGroupResponseData> aJoin = h.join(joinRequest("g", aId, "range"));
        Captured<JoinGroupResponseData> aRetry = h.join(joinRequest("g", aId, "range"));

        assertThat(aJoin.error()).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        assertThat(aRetry.done()).isFalse();
        h.join(joinRequest("g", bId, "range"));
        assertThat(aRetry.get().generationId()).isEqualTo(3);
    }

    @Test
    void followerRejoiningAStableGroupUnchangedGetsTheCurrentGeneration() {
        Captured<JoinGroupResponseData> a = h.joinNew("g");
        Captured<JoinGroupResponseData> b = h.joinNew("g");
        h.advance(0);
        String aId = a.get().memberId();
        String bId = b.get().memberId();
        h.sync("g", aId, 1, Map.of(aId, new byte[] {1}, bId, new byte[] {2}));

        Captured<JoinGroupResponseData> again = h.join(joinRequest("g", bId, "range"));
        assertThat(again.get().generationId()).isEqualTo(1);
        assertThat(again.get().leader()).isEqualTo(aId);
        assertThat(h.state("g")).isEqualTo("Stable");
    }

    @Test
    void leaderRejoiningAStableGroupStartsARebalance() {
        Captured<JoinGroupResponseData> a = h.joinNew("g");
        Captured<JoinGroupResponseData> b = h.joinNew("g");
        h.advance(0);
        String aId = a.get().memberId();
        String bId = b.get().memberId();
        h.sync("g", aId, 1, Map.of());

        Captured<JoinGroupResponseData> again = h.join(joinRequest("g", aId, "range"));
        assertThat(again.done()).isFalse();
        assertThat(h.state("g")).isEqualTo("PreparingRebalance");
        assertThat(h.heartbeat("g", bId, 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        h.join(joinRequest("g", bId, "range"));
        assertThat(again.get().generationId()).isEqualTo(2);
    }

    @Test
    void memberWithChangedMetadataStartsARebalance() {
        Captured<JoinGroupResponseData> a = h.joinNew("g");
        Captured<JoinGroupResponseData> b = h.joinNew("g");
        h.advance(0);
        String bId = b.get().memberId();
        h.sync("g", a.get().memberId(), 1, Map.of());

        JoinGroupRequestData changed = joinRequest("g", bId, "range");
        changed.protocols().find("range").setMetadata(ShardHarness.subscription("topic", "other"));
        h.join(changed);
        assertThat(h.state("g")).isEqualTo("PreparingRebalance");
    }

    @Test
    void memberRejoiningDuringCompletingRebalanceUnchangedGetsTheSameAnswer() {
        Captured<JoinGroupResponseData> a = h.joinNew("g");
        h.advance(0);
        String aId = a.get().memberId();
        Captured<JoinGroupResponseData> again = h.join(joinRequest("g", aId, "range"));
        assertThat(again.get().generationId()).isEqualTo(1);
        assertThat(again.get().members()).hasSize(1);
        assertThat(h.state("g")).isEqualTo("CompletingRebalance");
    }

    @Test
    void pendingMemberThatNeverRejoinsExpiresAfterItsSessionTimeout() {
        Captured<JoinGroupResponseData> a = h.joinNew("g");
        h.advance(0);
        String aId = a.get().memberId();
        h.sync("g", aId, 1, Map.of());
        Captured<JoinGroupResponseData> pending = h.join(joinRequest("g", "", "range"));
        assertThat(pending.error()).isEqualTo(Errors.MEMBER_ID_REQUIRED);

        h.advance(ShardHarness.SESSION_MS / 2);
        assertThat(h.heartbeat("g", aId, 1)).isEqualTo(Errors.NONE);
        h.advance(ShardHarness.SESSION_MS / 2);
        Captured<JoinGroupResponseData> late = h.join(joinRequest("g", pending.get().memberId(), "range"));
        assertThat(late.error()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(h.state("g")).isEqualTo("Stable");
    }

    @Test
    void newMemberWhoseJoinStaysParkedFiveMinutesIsDropped() {
        Captured<JoinGroupResponseData> a = h.join(joinRequest("g", "", "range").setRebalanceTimeoutMs(600_000),
                (short) 3);
        h.advance(0);
        String aId = a.get().memberId();
        h.sync("g", aId, 1, Map.of());
        Captured<JoinGroupResponseData> n = h.joinNew("g");
        // a heartbeats but never rejoins, so the join phase lasts a's rebalance timeout (10 min)
        for (int i = 0; i < 59; i++) {
            h.advance(5_000);
            assertThat(h.heartbeat("g", aId, 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
            assertThat(n.done()).isFalse();
        }
        h.advance(5_000);

        assertThat(n.error()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(h.state("g")).isEqualTo("PreparingRebalance");
        h.advance(ShardHarness.SESSION_MS);
        assertThat(h.state("g")).as("a stopped heartbeating too").isEqualTo("Empty");
    }

    @Test
    void newStaticMemberJoinsWithoutTheRoundTrip() {
        Captured<JoinGroupResponseData> s = h.joinStatic("g", "static-1", "");
        h.advance(0);
        assertThat(s.error()).isEqualTo(Errors.NONE);
        assertThat(s.get().memberId()).isEqualTo("static-1-u1");
    }

    @Test
    void theLastMemberLeavingDuringTheJoinPhaseEmptiesTheGroup() {
        Captured<JoinGroupResponseData> a = h.joinNew("g");
        h.advance(0);
        String aId = a.get().memberId();
        h.sync("g", aId, 1, Map.of());
        h.written.clear();

        h.leave("g", new org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity().setMemberId(aId));

        assertThat(h.state("g")).isEqualTo("Empty");
        assertThat(h.written).hasSize(1);
        assertThat(h.shard.describeGroup("g").members()).isEmpty();
    }
}
