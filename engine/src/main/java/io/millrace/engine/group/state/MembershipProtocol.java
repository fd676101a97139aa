package io.millrace.engine.group.state;

import io.millrace.engine.group.GroupCoordinatorConfig;
import io.millrace.engine.group.record.GroupRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData.MemberResponse;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;

/**
 * The classic rebalance protocol: JoinGroup, SyncGroup, Heartbeat, LeaveGroup, and the session,
 * join-phase and sync-phase deadlines, as Kafka's group coordinator runs them. Part of one
 * {@link GroupShard}; not thread-safe.
 *
 * <p>A rebalance: members send JoinGroup and wait (parked) until all known members have
 * rejoined or the rebalance timeout passes; then the generation is bumped, a protocol is
 * selected and every waiting member is answered (the leader with everyone's metadata). Members
 * send SyncGroup; the leader's carries the assignment, which is written to the log before
 * anyone gets theirs.
 */
final class MembershipProtocol {

    private static final int REQUIRE_KNOWN_MEMBER_ID_VERSION = 4;
    private static final int SKIP_ASSIGNMENT_VERSION = 9;

    private final GroupShard shard;
    private final GroupCoordinatorConfig config;
    private final Deadlines deadlines;
    private final Logger log;

    MembershipProtocol(GroupShard shard) {
        this.shard = shard;
        this.config = shard.config();
        this.deadlines = shard.deadlines();
        this.log = shard.log();
    }

    // ------------------------------------------------------------------ JoinGroup

    void join(RequestMeta meta, JoinGroupRequestData req, ReplyTo<JoinGroupResponseData> reply, Effects fx,
              long nowMs) {
        String groupId = req.groupId();
        String memberId = req.memberId();
        if (groupId == null || groupId.isEmpty()) {
            replyJoin(fx, reply, Responses.joinError(memberId, Errors.INVALID_GROUP_ID));
            return;
        }
        int sessionTimeoutMs = req.sessionTimeoutMs();
        if (sessionTimeoutMs < config.groupMinSessionTimeoutMs()
                || sessionTimeoutMs > config.groupMaxSessionTimeoutMs()) {
            replyJoin(fx, reply, Responses.joinError(memberId, Errors.INVALID_SESSION_TIMEOUT));
            return;
        }
        boolean unknownMember = memberId.isEmpty();
        ClassicGroup group = shard.group(groupId);
        if (group == null) {
            if (!unknownMember) {
                replyJoin(fx, reply, Responses.joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
                return;
            }
            group = shard.createGroup(groupId, nowMs);
        }
        JoinRequest join = JoinRequest.of(meta, req);
        if (!acceptJoiningMember(group, memberId)) {
            if (group.hasMember(memberId)) {
                removeMemberAndUpdateGroup(group, group.member(memberId), "group is full", fx, nowMs);
            }
            replyJoin(fx, reply, Responses.joinError("", Errors.GROUP_MAX_SIZE_REACHED));
        } else if (unknownMember) {
            joinNewMember(group, join, reply, fx, nowMs);
        } else {
            joinExistingMember(group, join, reply, fx, nowMs);
        }
        maybeCompleteJoinPhase(group, fx, nowMs);
        shard.maybeDropUnusedGroup(group);
    }

    /** A JoinGroup's content, normalized: v0's missing rebalance timeout is the session timeout. */
    record JoinRequest(short version, String memberId, String groupInstanceId, String clientId, String clientHost,
                       int rebalanceTimeoutMs, int sessionTimeoutMs, String protocolType,
                       List<GroupMember.Protocol> protocols, String reason) {

        static JoinRequest of(RequestMeta meta, JoinGroupRequestData req) {
            Map<String, GroupMember.Protocol> protocols = new LinkedHashMap<>();
            for (JoinGroupRequestProtocol p : req.protocols()) {
                protocols.putIfAbsent(p.name(), new GroupMember.Protocol(p.name(),
                        p.metadata() == null ? GroupMember.EMPTY_BYTES : p.metadata()));
            }
            int rebalanceTimeoutMs = req.rebalanceTimeoutMs() < 0 ? req.sessionTimeoutMs() : req.rebalanceTimeoutMs();
            return new JoinRequest(meta.apiVersion(), req.memberId(), req.groupInstanceId(), meta.clientId(),
                    meta.clientHost(), rebalanceTimeoutMs, req.sessionTimeoutMs(), req.protocolType(),
                    List.copyOf(protocols.values()), req.reason());
        }
    }

    /**
     * Kafka's group size rule: while members rejoin, those already waiting and new ones up to
     * {@code group.max.size} are accepted; a full group turns away new members.
     */
    private boolean acceptJoiningMember(ClassicGroup group, String memberId) {
        return switch (group.state()) {
            case EMPTY, DEAD -> true;
            case PREPARING_REBALANCE -> (group.hasMember(memberId) && group.member(memberId).isAwaitingJoin())
                    || group.numAwaitingJoin() < config.groupMaxSize();
            case COMPLETING_REBALANCE, STABLE -> group.hasMember(memberId) || group.size() < config.groupMaxSize();
        };
    }

    private void joinNewMember(ClassicGroup group, JoinRequest join, ReplyTo<JoinGroupResponseData> reply,
                               Effects fx, long nowMs) {
        if (group.is(GroupState.DEAD)) {
            replyJoin(fx, reply, Responses.joinError("", Errors.COORDINATOR_NOT_AVAILABLE));
            return;
        }
        if (!group.supportsProtocols(join.protocolType(), join.protocols())) {
            replyJoin(fx, reply, Responses.joinError("", Errors.INCONSISTENT_GROUP_PROTOCOL));
            return;
        }
        String prefix = join.groupInstanceId() != null ? join.groupInstanceId() : join.clientId();
        String newMemberId = prefix + "-" + shard.newUuid();
        if (join.groupInstanceId() != null) {
            String existing = group.staticMemberId(join.groupInstanceId());
            if (existing != null) {
                replaceStaticMemberThenRebalance(group, existing, newMemberId, join, reply, fx, nowMs);
            } else {
                addMemberThenRebalance(group, newMemberId, join, reply, fx, nowMs);
            }
        } else if (join.version() >= REQUIRE_KNOWN_MEMBER_ID_VERSION) {
            // The client must come back with this id: a member that times out its JoinGroup and
            // retries then cannot leave a stray member behind.
            group.addPendingJoinMember(newMemberId);
            scheduleSession(group.groupId(), newMemberId, join.sessionTimeoutMs(), nowMs);
            replyJoin(fx, reply, Responses.joinError(newMemberId, Errors.MEMBER_ID_REQUIRED));
        } else {
            addMemberThenRebalance(group, newMemberId, join, reply, fx, nowMs);
        }
    }

    private void joinExistingMember(ClassicGroup group, JoinRequest join, ReplyTo<JoinGroupResponseData> reply,
                                    Effects fx, long nowMs) {
        String memberId = join.memberId();
        if (group.is(GroupState.DEAD)) {
            replyJoin(fx, reply, Responses.joinError(memberId, Errors.COORDINATOR_NOT_AVAILABLE));
        } else if (!group.supportsProtocols(join.protocolType(), join.protocols())) {
            replyJoin(fx, reply, Responses.joinError(memberId, Errors.INCONSISTENT_GROUP_PROTOCOL));
        } else if (group.isPendingJoinMember(memberId)) {
            if (join.groupInstanceId() != null) {
                // Pending ids are only handed to dynamic members: this request mixes identities.
                replyJoin(fx, reply, Responses.joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
                return;
            }
            deadlines.cancel(Deadlines.Key.session(group.groupId(), memberId));
            addMemberThenRebalance(group, memberId, join, reply, fx, nowMs);
        } else if (group.isStaticMemberFenced(join.groupInstanceId(), memberId)) {
            replyJoin(fx, reply, Responses.joinError(memberId, Errors.FENCED_INSTANCE_ID));
        } else if (!group.hasMember(memberId)
                || (join.groupInstanceId() != null && !group.hasStaticMember(join.groupInstanceId()))) {
            replyJoin(fx, reply, Responses.joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
        } else {
            rejoin(group, group.member(memberId), join, reply, fx, nowMs);
        }
    }

    private void rejoin(ClassicGroup group, GroupMember member, JoinRequest join,
                        ReplyTo<JoinGroupResponseData> reply, Effects fx, long nowMs) {
        switch (group.state()) {
            case PREPARING_REBALANCE -> updateMemberThenRebalance(group, member, join, reply, fx, nowMs);
            case COMPLETING_REBALANCE -> {
                if (member.matches(join.protocols())) {
                    // The member lost our JoinGroup response: answer again with this generation.
                    replyJoin(fx, reply, joinSuccess(group, member.memberId(), group.isLeader(member.memberId()),
                            group.leaderId(), false));
                } else {
                    updateMemberThenRebalance(group, member, join, reply, fx, nowMs);
                }
            }
            case STABLE -> {
                if (group.isLeader(member.memberId()) || !member.matches(join.protocols())) {
                    // The leader rejoins to make the group reassign (e.g. topic metadata changed).
                    updateMemberThenRebalance(group, member, join, reply, fx, nowMs);
                } else {
                    replyJoin(fx, reply, joinSuccess(group, member.memberId(), false, group.leaderId(), false));
                }
            }
            case EMPTY, DEAD -> replyJoin(fx, reply, Responses.joinError(member.memberId(), Errors.UNKNOWN_MEMBER_ID));
        }
    }

    private void addMemberThenRebalance(ClassicGroup group, String memberId, JoinRequest join,
                                        ReplyTo<JoinGroupResponseData> reply, Effects fx, long nowMs) {
        GroupMember member = new GroupMember(memberId, join.groupInstanceId(), join.clientId(), join.clientHost(),
                join.rebalanceTimeoutMs(), join.sessionTimeoutMs(), join.protocolType(), join.protocols());
        member.isNew(true);
        member.joinReply(reply);
        if (group.is(GroupState.PREPARING_REBALANCE) && group.generationId() == 0) {
            group.newMemberAdded(true);
        }
        group.add(member);
        // A new member cannot heartbeat until its JoinGroup returns; if it gave up on the request
        // it would stay forever, so its parked JoinGroup has a deadline of its own.
        scheduleSession(group.groupId(), memberId, GroupCoordinatorConfig.NEW_MEMBER_JOIN_TIMEOUT_MS, nowMs);
        maybePrepareRebalance(group, "member " + memberId + " joined" + reason(join), fx, nowMs);
    }

    private void updateMemberThenRebalance(ClassicGroup group, GroupMember member, JoinRequest join,
                                           ReplyTo<JoinGroupResponseData> reply, Effects fx, long nowMs) {
        parkJoin(member, reply, fx);
        member.update(join.clientId(), join.clientHost(), join.rebalanceTimeoutMs(), join.sessionTimeoutMs(),
                join.protocols());
        maybePrepareRebalance(group, "member " + member.memberId() + " rejoined in state " + group.state()
                + reason(join), fx, nowMs);
    }

    /**
     * A static member came back under a new member id: the old id is fenced, the member keeps its
     * place. A stable group whose protocol choice does not change just records the new id, without
     * a rebalance; otherwise the group rebalances.
     */
    private void replaceStaticMemberThenRebalance(ClassicGroup group, String oldMemberId, String newMemberId,
                                                  JoinRequest join, ReplyTo<JoinGroupResponseData> reply,
                                                  Effects fx, long nowMs) {
        String oldLeaderId = group.leaderId();
        GroupMember member = group.member(oldMemberId);
        if (member.isAwaitingJoin()) {
            replyJoin(fx, member.joinReply(), Responses.joinError(oldMemberId, Errors.FENCED_INSTANCE_ID));
            member.joinReply(null);
        }
        if (member.isAwaitingSync()) {
            replySync(fx, member.syncReply(), Responses.syncError(Errors.FENCED_INSTANCE_ID));
            member.syncReply(null);
        }
        group.replaceStaticMember(join.groupInstanceId(), oldMemberId, newMemberId);
        deadlines.cancel(Deadlines.Key.session(group.groupId(), oldMemberId));
        member.update(join.clientId(), join.clientHost(), join.rebalanceTimeoutMs(), join.sessionTimeoutMs(),
                join.protocols());
        scheduleSession(group.groupId(), newMemberId, member.sessionTimeoutMs(), nowMs);
        member.joinReply(reply);
        log.info("Static member {} of group {} rejoined as {}", join.groupInstanceId(), group.groupId(), newMemberId);
        switch (group.state()) {
            case STABLE -> {
                if (group.selectProtocol().equals(group.protocolName())) {
                    fx.append(new GroupRecord.GroupMetadata(group.groupId(), group.toMetadataValue()));
                    boolean leader = group.isLeader(newMemberId);
                    JoinGroupResponseData response = join.version() >= SKIP_ASSIGNMENT_VERSION
                            ? joinSuccess(group, newMemberId, leader, group.leaderId(), leader)
                            // Older clients would run the assignor if told they lead, and a stable
                            // group ignores that assignment: name the old leader id instead.
                            : joinSuccess(group, newMemberId, false, oldLeaderId, false);
                    replyJoin(fx, reply, response);
                    member.joinReply(null);
                } else {
                    maybePrepareRebalance(group, "static member " + join.groupInstanceId()
                            + " rejoined with protocols that change the group's choice", fx, nowMs);
                }
            }
            case COMPLETING_REBALANCE -> maybePrepareRebalance(group, "static member " + join.groupInstanceId()
                    + " rejoined while the group was completing a rebalance", fx, nowMs);
            case PREPARING_REBALANCE -> { } // answered when the join phase completes
            case EMPTY, DEAD -> throw new IllegalStateException(group + " has static member "
                    + join.groupInstanceId() + " but is " + group.state());
        }
    }

    private void parkJoin(GroupMember member, ReplyTo<JoinGroupResponseData> reply, Effects fx) {
        if (member.isAwaitingJoin()) {
            // A retried JoinGroup replaces the parked one, which must still get an answer.
            replyJoin(fx, member.joinReply(), Responses.joinError(member.memberId(), Errors.REBALANCE_IN_PROGRESS));
        }
        member.joinReply(reply);
    }

    // ------------------------------------------------------------------ rebalance phases

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
                replyJoin(fx, m.joinReply(), joinSuccess(group, m.memberId(), leader, group.leaderId(), false));
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

    private JoinGroupResponseData joinSuccess(ClassicGroup group, String memberId, boolean withMembers,
                                              String leaderId, boolean skipAssignment) {
        return new JoinGroupResponseData().setErrorCode(Errors.NONE.code()).setMemberId(memberId)
                .setGenerationId(group.generationId()).setProtocolType(group.protocolType())
                .setProtocolName(group.protocolName()).setLeader(leaderId)
                .setSkipAssignment(skipAssignment)
                .setMembers(withMembers ? group.currentMemberMetadata() : List.of());
    }

    // ------------------------------------------------------------------ SyncGroup

    void sync(SyncGroupRequestData req, ReplyTo<SyncGroupResponseData> reply, Effects fx, long nowMs) {
        String groupId = req.groupId();
        if (groupId == null || groupId.isEmpty()) {
            replySync(fx, reply, Responses.syncError(Errors.INVALID_GROUP_ID));
            return;
        }
        ClassicGroup group = shard.group(groupId);
        Errors error = group == null ? Errors.UNKNOWN_MEMBER_ID : validateSync(group, req);
        if (error != Errors.NONE) {
            replySync(fx, reply, Responses.syncError(error));
            return;
        }
        GroupMember member = group.member(req.memberId());
        switch (group.state()) {
            case EMPTY -> replySync(fx, reply, Responses.syncError(Errors.UNKNOWN_MEMBER_ID));
            case PREPARING_REBALANCE -> replySync(fx, reply, Responses.syncError(Errors.REBALANCE_IN_PROGRESS));
            case COMPLETING_REBALANCE -> {
                if (member.isAwaitingSync()) {
                    replySync(fx, member.syncReply(), Responses.syncError(Errors.REBALANCE_IN_PROGRESS));
                }
                member.syncReply(reply);
                group.removePendingSyncMember(member.memberId());
                if (group.isLeader(member.memberId())) {
                    completeRebalance(group, req.assignments(), fx, nowMs);
                }
            }
            case STABLE -> {
                group.removePendingSyncMember(member.memberId());
                replySync(fx, reply, syncSuccess(group, member));
                scheduleSession(groupId, member.memberId(), member.sessionTimeoutMs(), nowMs);
            }
            case DEAD -> throw new IllegalStateException(group + " passed validation while dead");
        }
    }

    private Errors validateSync(ClassicGroup group, SyncGroupRequestData req) {
        if (group.is(GroupState.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        } else if (group.isStaticMemberFenced(req.groupInstanceId(), req.memberId())) {
            return Errors.FENCED_INSTANCE_ID;
        } else if (!group.hasMember(req.memberId())) {
            return Errors.UNKNOWN_MEMBER_ID;
        } else if (req.generationId() != group.generationId()) {
            return Errors.ILLEGAL_GENERATION;
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
                replySync(fx, m.syncReply(), syncSuccess(group, m));
                m.syncReply(null);
            }
            scheduleSession(group.groupId(), m.memberId(), m.sessionTimeoutMs(), nowMs);
        }
    }

    private void resetAndPropagateAssignmentError(ClassicGroup group, Errors error, Effects fx) {
        for (GroupMember m : group.members()) {
            m.assignment(GroupMember.EMPTY_BYTES);
            if (m.isAwaitingSync()) {
                replySync(fx, m.syncReply(), Responses.syncError(error));
                m.syncReply(null);
            }
        }
    }

    private static SyncGroupResponseData syncSuccess(ClassicGroup group, GroupMember member) {
        return new SyncGroupResponseData().setErrorCode(Errors.NONE.code()).setProtocolType(group.protocolType())
                .setProtocolName(group.protocolName()).setAssignment(member.assignment());
    }

    // ------------------------------------------------------------------ Heartbeat

    Errors heartbeat(HeartbeatRequestData req, long nowMs) {
        if (req.groupId() == null || req.groupId().isEmpty()) {
            return Errors.INVALID_GROUP_ID;
        }
        ClassicGroup group = shard.group(req.groupId());
        if (group == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        } else if (group.is(GroupState.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        } else if (group.isStaticMemberFenced(req.groupInstanceId(), req.memberId())) {
            return Errors.FENCED_INSTANCE_ID;
        } else if (!group.hasMember(req.memberId())) {
            return Errors.UNKNOWN_MEMBER_ID;
        } else if (req.generationId() != group.generationId()) {
            return Errors.ILLEGAL_GENERATION;
        }
        GroupMember member = group.member(req.memberId());
        return switch (group.state()) {
            case EMPTY -> Errors.UNKNOWN_MEMBER_ID;
            case PREPARING_REBALANCE -> {
                scheduleSession(group.groupId(), member.memberId(), member.sessionTimeoutMs(), nowMs);
                yield Errors.REBALANCE_IN_PROGRESS;
            }
            case COMPLETING_REBALANCE, STABLE -> {
                scheduleSession(group.groupId(), member.memberId(), member.sessionTimeoutMs(), nowMs);
                yield Errors.NONE;
            }
            case DEAD -> Errors.COORDINATOR_NOT_AVAILABLE;
        };
    }

    /** A commit from a member counts as a sign of life, as in Kafka. */
    void touchSession(ClassicGroup group, String memberId, long nowMs) {
        if (group.hasMember(memberId)
                && (group.is(GroupState.STABLE) || group.is(GroupState.PREPARING_REBALANCE))) {
            scheduleSession(group.groupId(), memberId, group.member(memberId).sessionTimeoutMs(), nowMs);
        }
    }

    // ------------------------------------------------------------------ LeaveGroup

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
            removeMemberAndUpdateGroup(group, group.member(current), reason, fx, nowMs);
            return Errors.NONE;
        } else if (group.isPendingJoinMember(memberId)) {
            removePendingMemberAndUpdateGroup(group, memberId, fx, nowMs);
            return Errors.NONE;
        } else if (group.isStaticMemberFenced(instanceId, memberId)) {
            return Errors.FENCED_INSTANCE_ID;
        } else if (group.hasMember(memberId)) {
            removeMemberAndUpdateGroup(group, group.member(memberId), reason, fx, nowMs);
            return Errors.NONE;
        }
        return Errors.UNKNOWN_MEMBER_ID;
    }

    // ------------------------------------------------------------------ sessions

    private void scheduleSession(String groupId, String memberId, int timeoutMs, long nowMs) {
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

    private void removeMemberAndUpdateGroup(ClassicGroup group, GroupMember member, String reason, Effects fx,
                                            long nowMs) {
        // A parked request of a removed member gets UNKNOWN_MEMBER_ID, so a live client rejoins.
        if (member.isAwaitingJoin()) {
            replyJoin(fx, member.joinReply(), Responses.joinError("", Errors.UNKNOWN_MEMBER_ID));
            member.joinReply(null);
        }
        if (member.isAwaitingSync()) {
            replySync(fx, member.syncReply(), Responses.syncError(Errors.UNKNOWN_MEMBER_ID));
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

    private void removePendingMemberAndUpdateGroup(ClassicGroup group, String memberId, Effects fx, long nowMs) {
        group.removePendingJoinMember(memberId);
        deadlines.cancel(Deadlines.Key.session(group.groupId(), memberId));
        maybeCompleteJoinPhase(group, fx, nowMs);
    }

    /** The coordinator is going away: every parked request learns it must find the new one. */
    void failParkedRequests(ClassicGroup group, Errors error, Effects fx) {
        for (GroupMember m : group.members()) {
            if (m.isAwaitingJoin()) {
                replyJoin(fx, m.joinReply(), Responses.joinError(m.memberId(), error));
                m.joinReply(null);
            }
            if (m.isAwaitingSync()) {
                replySync(fx, m.syncReply(), Responses.syncError(error));
                m.syncReply(null);
            }
        }
    }

    // ------------------------------------------------------------------ replies

    private static void replyJoin(Effects fx, ReplyTo<JoinGroupResponseData> to, JoinGroupResponseData response) {
        String memberId = response.memberId();
        fx.reply(to, response, error -> Responses.joinError(memberId, error));
    }

    private static void replySync(Effects fx, ReplyTo<SyncGroupResponseData> to, SyncGroupResponseData response) {
        fx.reply(to, response, Responses::syncError);
    }

    private static String reason(JoinRequest join) {
        return join.reason() == null || join.reason().isEmpty() ? "" : " (" + join.reason() + ")";
    }
}
