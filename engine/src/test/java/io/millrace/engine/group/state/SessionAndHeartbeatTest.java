package io.millrace.engine.group.state;

import static io.millrace.engine.group.state.ShardHarness.joinRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.group.state.ShardHarness.Captured;
import java.util.Map;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SessionAndHeartbeatTest {

    private final ShardHarness h = new ShardHarness();
    private String a;
    private String b;

    @BeforeEach
    void stableGroupOfTwo() {
        Captured<JoinGroupResponseData> ja = h.joinNew("g");
        Captured<JoinGroupResponseData> jb = h.joinNew("g");
        h.advance(0);
        a = ja.get().memberId();
        b = jb.get().memberId();
        h.sync("g", a, 1, Map.of(a, new byte[] {1}, b, new byte[] {2}));
        h.sync("g", b, 1, Map.of());
    }

    @Test
    void heartbeatsKeepMembersInTheGroup() {
        for (int i = 0; i < 20; i++) {
            h.advance(ShardHarness.SESSION_MS - 1);
            assertThat(h.heartbeat("g", a, 1)).isEqualTo(Errors.NONE);
            assertThat(h.heartbeat("g", b, 1)).isEqualTo(Errors.NONE);
        }
        assertThat(h.state("g")).isEqualTo("Stable");
    }

    @Test
    void aMemberThatStopsHeartbeatingIsRemovedAfterItsSessionTimeout() {
        h.advance(ShardHarness.SESSION_MS - 1);
        assertThat(h.heartbeat("g", a, 1)).isEqualTo(Errors.NONE);
        h.advance(1);

        assertThat(h.state("g")).isEqualTo("PreparingRebalance");
        assertThat(h.heartbeat("g", b, 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(h.heartbeat("g", a, 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        Captured<JoinGroupResponseData> rejoin = h.join(joinRequest("g", a, "range"));
        assertThat(rejoin.get().generationId()).isEqualTo(2);
        assertThat(rejoin.get().members()).singleElement().extracting(m -> m.memberId()).isEqualTo(a);
    }

    @Test
    void membersWaitingInJoinGroupAreNotExpired() {
        Captured<JoinGroupResponseData> rejoin = h.join(joinRequest("g", a, "range"));
        // b heartbeats; a waits in JoinGroup far beyond its session timeout
        for (int i = 0; i < 5; i++) {
            h.advance(ShardHarness.SESSION_MS / 2);
            assertThat(h.heartbeat("g", b, 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        }
        assertThat(rejoin.done()).isFalse();
        h.join(joinRequest("g", b, "range"));
        assertThat(rejoin.get().generationId()).isEqualTo(2);
    }

    @Test
    void heartbeatErrorsNameTheProblem() {
        assertThat(h.heartbeat("g", a, 0)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(h.heartbeat("g", "ghost", 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(h.heartbeat("nope", a, 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(h.heartbeat("", a, 1)).isEqualTo(Errors.INVALID_GROUP_ID);
    }

    @Test
    void heartbeatDuringCompletingRebalanceIsFine() {
        h.join(joinRequest("g", a, "range"));
        h.join(joinRequest("g", b, "range"));
        assertThat(h.state("g")).isEqualTo("CompletingRebalance");
        assertThat(h.heartbeat("g", b, 2)).isEqualTo(Errors.NONE);
    }

    @Test
    void aCommitCountsAsAHeartbeat() {
        for (int i = 0; i < 5; i++) {
            h.advance(ShardHarness.SESSION_MS - 1);
            h.heartbeat("g", a, 1);
            h.commit(ShardHarness.commitRequest("g", b, 1, "topic", i));
        }
        assertThat(h.state("g")).isEqualTo("Stable");
    }

    @Test
    void everyoneGoneLeavesAnEmptyGroupThatKeepsItsOffsets() {
        h.commit(ShardHarness.commitRequest("g", a, 1, "topic", 42));
        h.advance(ShardHarness.SESSION_MS);
        assertThat(h.state("g")).isEqualTo("Empty");
        assertThat(h.committed("g", "topic", 0)).isEqualTo(42);
    }
}
