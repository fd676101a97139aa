package io.millrace.engine.group.state;

import io.millrace.engine.group.record.GroupRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData.MemberResponse;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;

/**
 * SyncGroup, Heartbeat and LeaveGroup, as Kafka's coordinator answers them. The leader's
 * SyncGroup carries the assignment, which is written before anyone receives theirs. Part of one
 * {@link GroupShard}; not thread-safe.
 */
final class MemberRequests {

    private final GroupShard shard;
    private final RebalancePhases phases;
    private final Logger log;

    MemberRequests(GroupShard shard, RebalancePhases phases) {
        this.shard = shard;
        this.phases = phases;
        this.log = shard.log();
    }

    void sync(SyncGroupRequestData req, ReplyTo<SyncGroupResponseData> reply, Effects fx, long nowMs) {
        String groupId = req.groupId();
        if (groupId == null || groupId.isEmpty()) {
            fx.replySync(reply, Responses.syncError(Errors.INVALID_GROUP_ID));
            return;
        }
        ClassicGroup group = shard.group(groupId);
        Errors error = group == null ? Errors.UNKNOWN_MEMBER_ID : validateSync(group, req);
        if (error != Errors.NONE) {
            fx.replySync(reply, Responses.syncError(error));
            return;
        }
        GroupMember member = group.member(req.memberId());
        switch (group.state()) {
            case EMPTY -> fx.replySync(reply, Responses.syncError(Errors.UNKNOWN_MEMBER_ID));
            case PREPARING_REBALANCE -> fx.replySync(reply, Responses.syncError(Errors.REBALANCE_IN_PROGRESS));
            case COMPLETING_REBALANCE -> {
                if (member.isAwaitingSync()) {
                    fx.replySync(member.syncReply(), Responses.syncError(Errors.REBALANCE_IN_PROGRESS));
                }
                member.syncReply(reply);
                group.removePendingSyncMember(member.memberId());
                if (group.isLeader(member.memberId())) {
                    completeRebalance(group, req.assignments(), fx, nowMs);
                }
            }
            case STABLE -> {
                group.removePendingSyncMember(member.memberId());
                fx.replySync(reply, Responses.syncSuccess(group, member));
                phases.scheduleSession(groupId, member.memberId(), member.sessionTimeoutMs(), nowMs);
            }
            case DEAD -> throw new IllegalStateException(group + " passed validation while dead");
        }
    }

    /** Is the sender a member of the group's current generation? As Kafka checks, in this order. */
    private static Errors validateMember(ClassicGroup group, String groupInstanceId, String memberId,
                                         int generationId) {
        if (group.is(GroupState.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        } else if (group.isStaticMemberFenced(groupInstanceId, memberId)) {
            return Errors.FENCED_INSTANCE_ID;
        } else if (!group.hasMember(memberId)) {
            return Errors.UNKNOWN_MEMBER_ID;
        } else if (generationId != group.generationId()) {
            return Errors.ILLEGAL_GENERATION;
        }
        return Errors.NONE;
    }

    private static Errors validateSync(ClassicGroup group, SyncGroupRequestData req) {
        Errors memberError = validateMember(group, req.groupInstanceId(), req.memberId(), req.generationId());
        if (memberError != Errors.NONE) {
            return memberError;
        } else if (req.protocolType() != null && !req.protocolType().equals(group.protocolType())) {
            return Errors.INCONSISTENT_GROUP_PROTOCOL;
        } else if (req.protocolName() != null && !req.protocolName().equals(group.protocolName())) {
            return Errors.INCONSISTENT_GROUP_PROTOCOL;
        }
        return Errors.NONE;
    }

    /** The leader's assignment: stored for every member (empty for those it left out), then sent. */
    private void completeRebalance(ClassicGroup group, List<SyncGroupRequestAssignment> assignments, Effects fx,
                                   long nowMs) {
        Map<String, byte[]> byMember = new HashMap<>();
        for (SyncGroupRequestAssignment a : assignments) {
            if (group.hasMember(a.memberId())) {
                byMember.put(a.memberId(), a.assignment() == null ? GroupMember.EMPTY_BYTES : a.assignment());
            }
        }
        for (GroupMember m : group.members()) {
            byte[] assignment = byMember.get(m.memberId());
            if (assignment == null) {
                log.warn("The leader of group {} gave member {} no assignment in generation {}", group.groupId(),
                        m, group.generationId());
                assignment = GroupMember.EMPTY_BYTES;
            }
            m.assignment(assignment);
        }
        group.transitionTo(GroupState.STABLE, nowMs);
        fx.append(new GroupRecord.GroupMetadata(group.groupId(), group.toMetadataValue()));
        log.info("Group {} is stable in generation {} with {} members ({} static)", group.groupId(),
                group.generationId(), group.size(), group.numStaticMembers());
        for (GroupMember m : group.members()) {
            if (m.isAwaitingSync()) {
                fx.replySync(m.syncReply(), Responses.syncSuccess(group, m));
                m.syncReply(null);
            }
            phases.scheduleSession(group.groupId(), m.memberId(), m.sessionTimeoutMs(), nowMs);
        }
    }

    Errors heartbeat(HeartbeatRequestData req, long nowMs) {
        if (req.groupId() == null || req.groupId().isEmpty()) {
            return Errors.INVALID_GROUP_ID;
        }
        ClassicGroup group = shard.group(req.groupId());
        if (group == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        Errors memberError = validateMember(group, req.groupInstanceId(), req.memberId(), req.generationId());
        if (memberError != Errors.NONE) {
            return memberError;
        }
        GroupMember member = group.member(req.memberId());
        return switch (group.state()) {
            case EMPTY -> Errors.UNKNOWN_MEMBER_ID;
            case PREPARING_REBALANCE -> {
                phases.scheduleSession(group.groupId(), member.memberId(), member.sessionTimeoutMs(), nowMs);
                yield Errors.REBALANCE_IN_PROGRESS;
            }
            case COMPLETING_REBALANCE, STABLE -> {
                phases.scheduleSession(group.groupId(), member.memberId(), member.sessionTimeoutMs(), nowMs);
                yield Errors.NONE;
            }
            case DEAD -> Errors.COORDINATOR_NOT_AVAILABLE;
        };
    }

    /** A commit from a member counts as a sign of life, as in Kafka. */
    void touchSession(ClassicGroup group, String memberId, long nowMs) {
        if (group.hasMember(memberId)
                && (group.is(GroupState.STABLE) || group.is(GroupState.PREPARING_REBALANCE))) {
            phases.scheduleSession(group.groupId(), memberId, group.member(memberId).sessionTimeoutMs(), nowMs);
        }
    }

    LeaveGroupResponseData leave(String groupId, List<MemberIdentity> leaving, Effects fx, long nowMs) {
        LeaveGroupResponseData response = new LeaveGroupResponseData();
        if (groupId == null || groupId.isEmpty()) {
            return response.setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        ClassicGroup group = shard.group(groupId);
        List<MemberResponse> results = new ArrayList<>(leaving.size());
        for (MemberIdentity m : leaving) {
            Errors error = group == null ? Errors.UNKNOWN_MEMBER_ID : leaveOne(group, m, fx, nowMs);
            results.add(new MemberResponse().setMemberId(m.memberId()).setGroupInstanceId(m.groupInstanceId())
                    .setErrorCode(error.code()));
        }
        return response.setErrorCode(Errors.NONE.code()).setMembers(results);
    }

    private Errors leaveOne(ClassicGroup group, MemberIdentity leaving, Effects fx, long nowMs) {
        if (group.is(GroupState.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        String memberId = leaving.memberId();
        String instanceId = leaving.groupInstanceId();
        String reason = "member left the group" + (leaving.reason() == null ? "" : ": " + leaving.reason());
        if (memberId == null || memberId.isEmpty()) {
            // Administrative removal of a static member by its instance id.
            String current = group.staticMemberId(instanceId);
            if (current == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            phases.removeMemberAndUpdateGroup(group, group.member(current), reason, fx, nowMs);
            return Errors.NONE;
        } else if (group.isPendingJoinMember(memberId)) {
            phases.removePendingMemberAndUpdateGroup(group, memberId, fx, nowMs);
            return Errors.NONE;
        } else if (group.isStaticMemberFenced(instanceId, memberId)) {
            return Errors.FENCED_INSTANCE_ID;
        } else if (group.hasMember(memberId)) {
            phases.removeMemberAndUpdateGroup(group, group.member(memberId), reason, fx, nowMs);
            return Errors.NONE;
        }
        return Errors.UNKNOWN_MEMBER_ID;
    }
}
