package io.millrace.engine.group.state;

import static io.millrace.engine.group.state.ShardHarness.commitRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.group.GroupCoordinatorConfig;
import io.millrace.engine.group.state.ShardHarness.Captured;
import java.util.Map;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.junit.jupiter.api.Test;

class OffsetExpiryTest {

    private static final long MINUTE = 60_000L;
    // retention 10 minutes, checked every minute
    private final ShardHarness h = new ShardHarness(Map.of(GroupCoordinatorConfig.OFFSETS_RETENTION_MINUTES, "10",
            GroupCoordinatorConfig.OFFSETS_RETENTION_CHECK_INTERVAL_MS, String.valueOf(MINUTE),
            GroupCoordinatorConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0"));

    private String stableMember(String groupId, String... topics) {
        var request = ShardHarness.joinRequest(groupId, "", "range");
        request.protocols().find("range").setMetadata(ShardHarness.subscription(topics));
        Captured<JoinGroupResponseData> first = h.join(request);
        Captured<JoinGroupResponseData> j = h.join(request.duplicate().setMemberId(first.get().memberId()));
        h.advance(0);
        String id = j.get().memberId();
        h.sync(groupId, id, 1, Map.of(id, new byte[0]));
        return id;
    }

    private void heartbeatFor(long ms, String groupId, String memberId) {
        for (long t = 0; t < ms; t += 5_000) {
            h.advance(5_000);
            h.heartbeat(groupId, memberId, 1);
        }
    }

    @Test
    void offsetsOfAnEmptyGroupExpireRetentionAfterItBecameEmptyAndTheGroupGoes() {
        String m = stableMember("g", "t");
        h.commit(commitRequest("g", m, 1, "t", 5));
        heartbeatFor(30 * MINUTE, "g", m);
        assertThat(h.committed("g", "t", 0)).as("a live group keeps subscribed offsets").isEqualTo(5);

        h.leave("g", new MemberIdentity().setMemberId(m));
        h.advance(9 * MINUTE);
        assertThat(h.committed("g", "t", 0)).isEqualTo(5);
        h.advance(2 * MINUTE);
        assertThat(h.committed("g", "t", 0)).isEqualTo(-1);
        assertThat(h.state("g")).isEqualTo("Dead");
        assertThat(h.written.subList(h.written.size() - 2, h.written.size()))
                .allSatisfy(r -> assertThat(r.isTombstone()).isTrue());
    }

    @Test
    void standaloneOffsetsExpireRetentionAfterTheirLastCommit() {
        h.commit(commitRequest("solo", "", -1, "t", 1, 2));
        h.advance(5 * MINUTE);
        h.commit(commitRequest("solo", "", -1, "t", 3));
        h.advance(6 * MINUTE);
        assertThat(h.committed("solo", "t", 0)).as("committed 6 minutes ago").isEqualTo(3);
        assertThat(h.committed("solo", "t", 1)).as("committed 11 minutes ago").isEqualTo(-1);
        h.advance(5 * MINUTE);
        assertThat(h.state("solo")).isEqualTo("Dead");
    }

    @Test
    void aStableConsumerGroupLosesOnlyOffsetsOfTopicsItNoLongerSubscribes() {
        String m = stableMember("g", "kept");
        h.commit(commitRequest("g", m, 1, "kept", 1));
        h.commit(commitRequest("g", m, 1, "dropped", 2));
        heartbeatFor(11 * MINUTE, "g", m);
        assertThat(h.committed("g", "kept", 0)).isEqualTo(1);
        assertThat(h.committed("g", "dropped", 0)).isEqualTo(-1);
    }

    @Test
    void anExplicitRetentionTimeFromOldClientsWins() {
        h.commit(commitRequest("solo", "", -1, "t", 1).setRetentionTimeMs(2 * MINUTE));
        h.advance(3 * MINUTE);
        assertThat(h.committed("solo", "t", 0)).isEqualTo(-1);
    }
}
