package io.millrace.engine.group.state;

import static io.millrace.engine.group.state.ShardHarness.commitRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.group.GroupCoordinatorConfig;
import io.millrace.engine.group.record.GroupRecord;
import io.millrace.engine.group.record.GroupRecordSerde;
import io.millrace.engine.group.state.ShardHarness.Captured;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A shard rebuilt from the records another shard wrote (through the wire format) is the same shard. */
class ReplayTest {

    private final ShardHarness before = new ShardHarness();
    private String a;
    private String b;
    private String s;

    @BeforeEach
    void writeHistory() {
        Captured<JoinGroupResponseData> ja = before.joinNew("consumers");
        Captured<JoinGroupResponseData> jb = before.joinNew("consumers");
        before.advance(0);
        a = ja.get().memberId();
        b = jb.get().memberId();
        before.sync("consumers", a, 1, Map.of(a, new byte[] {1}, b, new byte[] {2}));
        before.commit(commitRequest("consumers", a, 1, "t", 10, 11));
        before.commit(commitRequest("consumers", b, 1, "t", 12, 13));

        Captured<JoinGroupResponseData> js = before.joinStatic("static", "instance", "");
        before.advance(0);
        s = js.get().memberId();
        before.sync("static", s, 1, Map.of(s, new byte[] {9}));
        s = before.joinStatic("static", "instance", "").get().memberId();

        Captured<JoinGroupResponseData> jg = before.joinNew("gone");
        before.advance(0);
        String g = jg.get().memberId();
        before.sync("gone", g, 1, Map.of());
        before.commit(commitRequest("gone", g, 1, "t", 1));
        before.leave("gone", new MemberIdentity().setMemberId(g));
        before.apply(before.shard.deleteGroups(List.of("gone"), before.now));

        before.commit(commitRequest("solo", "", -1, "t", 99));
        before.commit(commitRequest("solo", "", -1, "u", 98));
        before.apply(before.shard.onTopicsDeleted(Set.of("u")));
    }

    private GroupShard replayed() {
        GroupShard after = new GroupShard(0, GroupCoordinatorConfig.fromMap(
                Map.of(GroupCoordinatorConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0")), () -> "r");
        for (GroupRecord r : before.written) {
            GroupRecord decoded = GroupRecordSerde.deserialize(GroupRecordSerde.serializeKey(r),
                    GroupRecordSerde.serializeValue(r)).orElseThrow();
            after.replay(decoded, before.now);
        }
        after.onLoaded(before.now);
        return after;
    }

    @Test
    void groupsOffsetsAndMembershipComeBack() {
        GroupShard after = replayed();

        assertThat(after.listGroups(Set.of(), Set.of())).containsExactlyInAnyOrderElementsOf(
                before.shard.listGroups(Set.of(), Set.of()));
        for (String group : List.of("consumers", "static", "solo", "gone")) {
            assertThat(after.describeGroup(group)).as(group).isEqualTo(before.shard.describeGroup(group));
            assertThat(after.fetchOffsets(new org.apache.kafka.common.message.OffsetFetchRequestData
                    .OffsetFetchRequestGroup().setGroupId(group).setTopics(null)))
                    .as(group).isEqualTo(before.fetchAll(group));
        }
        assertThat(after.groupCount()).isEqualTo(3);
    }

    @Test
    void loadedMembersCarryOnInTheirGeneration() {
        ShardHarness h = new ShardHarness();
        GroupShard after = replayed();
        Captured<SyncGroupResponseData> sync = new Captured<>();
        h.apply(after.syncGroup(new org.apache.kafka.common.message.SyncGroupRequestData().setGroupId("consumers")
                .setMemberId(b).setGenerationId(1), sync, before.now));
        assertThat(sync.get().assignment()).containsExactly(2);
        assertThat(Errors.forCode(after.heartbeat(new org.apache.kafka.common.message.HeartbeatRequestData()
                .setGroupId("static").setMemberId(s).setGroupInstanceId("instance").setGenerationId(1), before.now)
                .response().errorCode())).isEqualTo(Errors.NONE);
    }

    @Test
    void loadedMembersThatNeverHeartbeatExpire() {
        GroupShard after = replayed();
        CoordinatorResult<Void> result = after.advanceTime(before.now + ShardHarness.SESSION_MS);
        assertThat(result.records()).as("consumers and static became empty").hasSize(2);
        assertThat(after.describeGroup("consumers").groupState()).isEqualTo("Empty");
        assertThat(after.fetchOffsets(new org.apache.kafka.common.message.OffsetFetchRequestData
                .OffsetFetchRequestGroup().setGroupId("consumers").setTopics(null)).topics()).hasSize(1);
    }

    @Test
    void unloadingAnswersParkedRequestsWithNotCoordinator() {
        Captured<JoinGroupResponseData> parked = before.join(ShardHarness.joinRequest("consumers", a, "range"));
        assertThat(parked.done()).isFalse();
        CoordinatorResult<Void> result = before.shard.unload();
        assertThat(result.records()).isEmpty();
        before.apply(result);
        assertThat(parked.error()).isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(before.shard.groupCount()).isZero();
        assertThat(before.shard.nextDeadlineMs()).isEmpty();
    }
}
