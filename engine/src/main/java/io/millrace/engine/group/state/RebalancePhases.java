package io.millrace.engine.group.state;

import io.millrace.engine.group.GroupCoordinatorConfig;
import io.millrace.engine.group.record.GroupRecord;
import java.util.ArrayList;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;

/**
 * The phases of a classic group's rebalance and the members' sessions, as Kafka's coordinator
 * runs them: the join phase (with the initial delay of a new group) ends when every member has
 * rejoined or the rebalance timeout passes; the sync phase ends when every member has sent
 * SyncGroup or the rebalance timeout passes; a member without a heartbeat for its session timeout
 * leaves. Part of one {@link GroupShard}; not thread-safe.
 */
final class RebalancePhases {

    private final GroupShard shard;
    private final GroupCoordinatorConfig config;
    private final Deadlines deadlines;
    private final Logger log;

    RebalancePhases(GroupShard shard) {
        this.shard = shard;
        this.config = shard.config();
        this.deadlines = shard.deadlines();
        this.log = shard.log();
    }

    void maybePrepareRebalance(ClassicGroup group, String reason, Effects fx, long nowMs) {
        if (group.is(GroupState.STABLE) || group.is(GroupState.COMPLETING_REBALANCE) || group.is(GroupState.EMPTY)) {
            prepareRebalance(group, reason, fx, nowMs);
        }
    }

    void prepareRebalance(ClassicGroup group, String reason, Effects fx, long nowMs) {
        if (group.is(GroupState.COMPLETING_REBALANCE)) {
            resetAndPropagateAssignmentError(group, Errors.REBALANCE_IN_PROGRESS, fx);
        }
        deadlines.cancel(Deadlines.Key.sync(group.groupId()));
        boolean initialRebalance = group.is(GroupState.EMPTY);
        group.transitionTo(GroupState.PREPARING_REBALANCE, nowMs);
        log.info("Preparing to rebalance group {} in state {} with old generation {}: {}",
                group.groupId(), group.previousState(), group.generationId(), reason);
        String groupId = group.groupId();
        if (initialRebalance) {
            // A new group waits a little so that members starting together land in one generation.
            int delayMs = config.groupInitialRebalanceDelayMs();
            int remainingMs = Math.max(group.rebalanceTimeoutMs() - delayMs, 0);
            deadlines.schedule(Deadlines.Key.join(groupId), nowMs + delayMs,
                    (e, now) -> completeInitialRebalanceOrExtend(groupId, delayMs, remainingMs, e, now));
        } else {
            deadlines.schedule(Deadlines.Key.join(groupId), nowMs + group.rebalanceTimeoutMs(),
                    (e, now) -> completeJoinPhase(groupId, e, now));
            maybeCompleteJoinPhase(group, fx, nowMs);
        }
    }

    private void completeInitialRebalanceOrExtend(String groupId, int delayMs, int remainingMs, Effects fx,
                                                  long nowMs) {
        ClassicGroup group = shard.group(groupId);
        if (group == null || !group.is(GroupState.PREPARING_REBALANCE)) {
            return;
        }
        if (group.newMemberAdded() && remainingMs != 0) {
            group.newMemberAdded(false);
            int nextDelayMs = Math.min(config.groupInitialRebalanceDelayMs(), remainingMs);
            int nextRemainingMs = Math.max(remainingMs - delayMs, 0);
            deadlines.schedule(Deadlines.Key.join(groupId), nowMs + nextDelayMs,
                    (e, now) -> completeInitialRebalanceOrExtend(groupId, nextDelayMs, nextRemainingMs, e, now));
        } else {
            completeJoinPhase(group, fx, nowMs);
        }
    }

    /** Ends the join phase early once every member has rejoined (not during a new group's delay). */
    void maybeCompleteJoinPhase(ClassicGroup group, Effects fx, long nowMs) {
        if (group.is(GroupState.PREPARING_REBALANCE) && group.hasAllMembersJoined()
                && group.previousState() != GroupState.EMPTY) {
            completeJoinPhase(group, fx, nowMs);
        }
    }

    private void completeJoinPhase(String groupId, Effects fx, long nowMs) {
        ClassicGroup group = shard.group(groupId);
        if (group != null && group.is(GroupState.PREPARING_REBALANCE)) {
            completeJoinPhase(group, fx, nowMs);
        }
    }

    private void completeJoinPhase(ClassicGroup group, Effects fx, long nowMs) {
        String groupId = group.groupId();
        deadlines.cancel(Deadlines.Key.join(groupId));
        for (GroupMember m : new ArrayList<>(group.members())) {
            if (!m.isAwaitingJoin() && !m.isStatic()) {
                log.info("Member {} of group {} did not rejoin in time and leaves the group", m, groupId);
                group.remove(m.memberId());
                deadlines.cancel(Deadlines.Key.session(groupId, m.memberId()));
            }
        }
        if (!group.maybeElectNewJoinedLeader() && !group.isEmptyOfMembers()) {
            // Only static members that have not rejoined are left: wait for them (or their expiry).
            log.warn("Group {} could not complete its rebalance: no member rejoined", groupId);
            deadlines.schedule(Deadlines.Key.join(groupId), nowMs + group.rebalanceTimeoutMs(),
                    (e, now) -> completeJoinPhase(groupId, e, now));
            return;
        }
        group.initNextGeneration(nowMs);
        if (group.is(GroupState.EMPTY)) {
            log.info("Group {} with generation {} is now empty", groupId, group.generationId());
            fx.append(new GroupRecord.GroupMetadata(groupId, group.toMetadataValue()));
            return;
        }
        log.info("Group {} has generation {} with {} members (protocol {})", groupId, group.generationId(),
                group.size(), group.protocolName());
        for (GroupMember m : group.members()) {
            if (m.isAwaitingJoin()) {
                boolean leader = group.isLeader(m.memberId());
                fx.replyJoin(m.joinReply(), Responses.joinSuccess(group, m.memberId(), leader, group.leaderId(), false));
                m.joinReply(null);
            }
            scheduleSession(groupId, m.memberId(), m.sessionTimeoutMs(), nowMs);
            m.isNew(false);
            group.addPendingSyncMember(m.memberId());
        }
        int generation = group.generationId();
        deadlines.schedule(Deadlines.Key.sync(groupId), nowMs + group.rebalanceTimeoutMs(),
                (e, now) -> expirePendingSync(groupId, generation, e, now));
    }

    /** Members that got their JoinGroup answer but never sent SyncGroup leave, and the group rebalances. */
    private void expirePendingSync(String groupId, int generation, Effects fx, long nowMs) {
        ClassicGroup group = shard.group(groupId);
        if (group == null || group.generationId() != generation || group.hasReceivedSyncFromAllMembers()
                || !(group.is(GroupState.COMPLETING_REBALANCE) || group.is(GroupState.STABLE))) {
            return;
        }
        var pending = group.pendingSyncMembers();
        log.info("Members {} of group {} did not send SyncGroup in time and leave the group", pending, groupId);
        for (String memberId : pending) {
            group.remove(memberId);
            deadlines.cancel(Deadlines.Key.session(groupId, memberId));
        }
        prepareRebalance(group, "members " + pending + " did not sync", fx, nowMs);
    }

    private void resetAndPropagateAssignmentError(ClassicGroup group, Errors error, Effects fx) {
        for (GroupMember m : group.members()) {
            m.assignment(GroupMember.EMPTY_BYTES);
            if (m.isAwaitingSync()) {
                fx.replySync(m.syncReply(), Responses.syncError(error));
                m.syncReply(null);
            }
        }
    }

    void scheduleSession(String groupId, String memberId, int timeoutMs, long nowMs) {
        deadlines.schedule(Deadlines.Key.session(groupId, memberId), nowMs + timeoutMs,
                (fx, now) -> expireSession(groupId, memberId, fx, now));
    }

    void scheduleSession(ClassicGroup group, GroupMember member, long nowMs) {
        scheduleSession(group.groupId(), member.memberId(), member.sessionTimeoutMs(), nowMs);
    }

    private void expireSession(String groupId, String memberId, Effects fx, long nowMs) {
        ClassicGroup group = shard.group(groupId);
        if (group == null || group.is(GroupState.DEAD)) {
            return;
        }
        if (group.isPendingJoinMember(memberId)) {
            log.info("Pending member {} of group {} did not rejoin within its session timeout", memberId, groupId);
            removePendingMemberAndUpdateGroup(group, memberId, fx, nowMs);
        } else if (group.hasMember(memberId)) {
            GroupMember member = group.member(memberId);
            if (!member.sparedBySessionExpiry()) {
                log.info("Member {} of group {} has failed (no heartbeat within its session timeout)", member,
                        groupId);
                removeMemberAndUpdateGroup(group, member, "member " + memberId + " failed", fx, nowMs);
            }
        }
        shard.maybeDropUnusedGroup(group);
    }

    void removeMemberAndUpdateGroup(ClassicGroup group, GroupMember member, String reason, Effects fx,
                                            long nowMs) {
        // A parked request of a removed member gets UNKNOWN_MEMBER_ID, so a live client rejoins.
        if (member.isAwaitingJoin()) {
            fx.replyJoin(member.joinReply(), Responses.joinError("", Errors.UNKNOWN_MEMBER_ID));
            member.joinReply(null);
        }
        if (member.isAwaitingSync()) {
            fx.replySync(member.syncReply(), Responses.syncError(Errors.UNKNOWN_MEMBER_ID));
            member.syncReply(null);
        }
        group.remove(member.memberId());
        deadlines.cancel(Deadlines.Key.session(group.groupId(), member.memberId()));
        switch (group.state()) {
            case STABLE, COMPLETING_REBALANCE -> maybePrepareRebalance(group, reason, fx, nowMs);
            case PREPARING_REBALANCE -> maybeCompleteJoinPhase(group, fx, nowMs);
            case EMPTY, DEAD -> { }
        }
    }

    void removePendingMemberAndUpdateGroup(ClassicGroup group, String memberId, Effects fx, long nowMs) {
        group.removePendingJoinMember(memberId);
        deadlines.cancel(Deadlines.Key.session(group.groupId(), memberId));
        maybeCompleteJoinPhase(group, fx, nowMs);
    }

    /** The coordinator is going away: every parked request learns it must find the new one. */
    void failParkedRequests(ClassicGroup group, Errors error, Effects fx) {
        for (GroupMember m : group.members()) {
            if (m.isAwaitingJoin()) {
                fx.replyJoin(m.joinReply(), Responses.joinError(m.memberId(), error));
                m.joinReply(null);
            }
            if (m.isAwaitingSync()) {
                fx.replySync(m.syncReply(), Responses.syncError(error));
                m.syncReply(null);
            }
        }
    }
}
