package io.millrace.engine.group.state;

import io.millrace.engine.group.GroupCoordinatorConfig;
import io.millrace.engine.group.record.GroupRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;

/**
 * JoinGroup, as Kafka's coordinator answers it: new members (with the member-id round trip from
 * v4), static members coming back under a new member id (fencing the old one), and known members
 * rejoining. The answer waits (parked) for the join phase ({@link RebalancePhases}) unless the
 * member can be told the current generation at once. Part of one {@link GroupShard}; not
 * thread-safe.
 */
final class JoinGroupRequests {

    private static final int REQUIRE_KNOWN_MEMBER_ID_VERSION = 4;
    private static final int SKIP_ASSIGNMENT_VERSION = 9;

    private final GroupShard shard;
    private final GroupCoordinatorConfig config;
    private final Deadlines deadlines;
    private final RebalancePhases phases;
    private final Logger log;

    JoinGroupRequests(GroupShard shard, RebalancePhases phases) {
        this.shard = shard;
        this.config = shard.config();
        this.deadlines = shard.deadlines();
        this.phases = phases;
        this.log = shard.log();
    }

    void join(RequestMeta meta, JoinGroupRequestData req, ReplyTo<JoinGroupResponseData> reply, Effects fx,
              long nowMs) {
        String groupId = req.groupId();
        String memberId = req.memberId();
        if (groupId == null || groupId.isEmpty()) {
            fx.replyJoin(reply, Responses.joinError(memberId, Errors.INVALID_GROUP_ID));
            return;
        }
        int sessionTimeoutMs = req.sessionTimeoutMs();
        if (sessionTimeoutMs < config.groupMinSessionTimeoutMs()
                || sessionTimeoutMs > config.groupMaxSessionTimeoutMs()) {
            fx.replyJoin(reply, Responses.joinError(memberId, Errors.INVALID_SESSION_TIMEOUT));
            return;
        }
        boolean unknownMember = memberId.isEmpty();
        ClassicGroup group = shard.group(groupId);
        if (group == null) {
            if (!unknownMember) {
                fx.replyJoin(reply, Responses.joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
                return;
            }
            group = shard.createGroup(groupId, nowMs);
        }
        JoinRequest join = JoinRequest.of(meta, req);
        if (!acceptJoiningMember(group, memberId)) {
            if (group.hasMember(memberId)) {
                phases.removeMemberAndUpdateGroup(group, group.member(memberId), "group is full", fx, nowMs);
            }
            fx.replyJoin(reply, Responses.joinError("", Errors.GROUP_MAX_SIZE_REACHED));
        } else if (unknownMember) {
            joinNewMember(group, join, reply, fx, nowMs);
        } else {
            joinExistingMember(group, join, reply, fx, nowMs);
        }
        phases.maybeCompleteJoinPhase(group, fx, nowMs);
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
            fx.replyJoin(reply, Responses.joinError("", Errors.COORDINATOR_NOT_AVAILABLE));
            return;
        }
        if (!group.supportsProtocols(join.protocolType(), join.protocols())) {
            fx.replyJoin(reply, Responses.joinError("", Errors.INCONSISTENT_GROUP_PROTOCOL));
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
            phases.scheduleSession(group.groupId(), newMemberId, join.sessionTimeoutMs(), nowMs);
            fx.replyJoin(reply, Responses.joinError(newMemberId, Errors.MEMBER_ID_REQUIRED));
        } else {
            addMemberThenRebalance(group, newMemberId, join, reply, fx, nowMs);
        }
    }

    private void joinExistingMember(ClassicGroup group, JoinRequest join, ReplyTo<JoinGroupResponseData> reply,
                                    Effects fx, long nowMs) {
        String memberId = join.memberId();
        if (group.is(GroupState.DEAD)) {
            fx.replyJoin(reply, Responses.joinError(memberId, Errors.COORDINATOR_NOT_AVAILABLE));
        } else if (!group.supportsProtocols(join.protocolType(), join.protocols())) {
            fx.replyJoin(reply, Responses.joinError(memberId, Errors.INCONSISTENT_GROUP_PROTOCOL));
        } else if (group.isPendingJoinMember(memberId)) {
            if (join.groupInstanceId() != null) {
                // Pending ids are only handed to dynamic members: this request mixes identities.
                fx.replyJoin(reply, Responses.joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
                return;
            }
            deadlines.cancel(Deadlines.Key.session(group.groupId(), memberId));
            addMemberThenRebalance(group, memberId, join, reply, fx, nowMs);
        } else if (group.isStaticMemberFenced(join.groupInstanceId(), memberId)) {
            fx.replyJoin(reply, Responses.joinError(memberId, Errors.FENCED_INSTANCE_ID));
        } else if (!group.hasMember(memberId)
                || (join.groupInstanceId() != null && !group.hasStaticMember(join.groupInstanceId()))) {
            fx.replyJoin(reply, Responses.joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
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
                    fx.replyJoin(reply, Responses.joinSuccess(group, member.memberId(), group.isLeader(member.memberId()),
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
                    fx.replyJoin(reply, Responses.joinSuccess(group, member.memberId(), false, group.leaderId(), false));
                }
            }
            case EMPTY, DEAD -> fx.replyJoin(reply, Responses.joinError(member.memberId(), Errors.UNKNOWN_MEMBER_ID));
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
        phases.scheduleSession(group.groupId(), memberId, GroupCoordinatorConfig.NEW_MEMBER_JOIN_TIMEOUT_MS, nowMs);
        phases.maybePrepareRebalance(group, "member " + memberId + " joined" + reason(join), fx, nowMs);
    }

    private void updateMemberThenRebalance(ClassicGroup group, GroupMember member, JoinRequest join,
                                           ReplyTo<JoinGroupResponseData> reply, Effects fx, long nowMs) {
        parkJoin(member, reply, fx);
        member.update(join.clientId(), join.clientHost(), join.rebalanceTimeoutMs(), join.sessionTimeoutMs(),
                join.protocols());
        phases.maybePrepareRebalance(group, "member " + member.memberId() + " rejoined in state " + group.state()
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
            fx.replyJoin(member.joinReply(), Responses.joinError(oldMemberId, Errors.FENCED_INSTANCE_ID));
            member.joinReply(null);
        }
        if (member.isAwaitingSync()) {
            fx.replySync(member.syncReply(), Responses.syncError(Errors.FENCED_INSTANCE_ID));
            member.syncReply(null);
        }
        group.replaceStaticMember(join.groupInstanceId(), oldMemberId, newMemberId);
        deadlines.cancel(Deadlines.Key.session(group.groupId(), oldMemberId));
        member.update(join.clientId(), join.clientHost(), join.rebalanceTimeoutMs(), join.sessionTimeoutMs(),
                join.protocols());
        phases.scheduleSession(group.groupId(), newMemberId, member.sessionTimeoutMs(), nowMs);
        member.joinReply(reply);
        log.info("Static member {} of group {} rejoined as {}", join.groupInstanceId(), group.groupId(), newMemberId);
        switch (group.state()) {
            case STABLE -> {
                if (group.selectProtocol().equals(group.protocolName())) {
                    fx.append(new GroupRecord.GroupMetadata(group.groupId(), group.toMetadataValue()));
                    boolean leader = group.isLeader(newMemberId);
                    JoinGroupResponseData response = join.version() >= SKIP_ASSIGNMENT_VERSION
                            ? Responses.joinSuccess(group, newMemberId, leader, group.leaderId(), leader)
                            // Older clients would run the assignor if told they lead, and a stable
                            // group ignores that assignment: name the old leader id instead.
                            : Responses.joinSuccess(group, newMemberId, false, oldLeaderId, false);
                    fx.replyJoin(reply, response);
                    member.joinReply(null);
                } else {
                    phases.maybePrepareRebalance(group, "static member " + join.groupInstanceId()
                            + " rejoined with protocols that change the group's choice", fx, nowMs);
                }
            }
            case COMPLETING_REBALANCE -> phases.maybePrepareRebalance(group, "static member " + join.groupInstanceId()
                    + " rejoined while the group was completing a rebalance", fx, nowMs);
            case PREPARING_REBALANCE -> { } // answered when the join phase completes
            case EMPTY, DEAD -> throw new IllegalStateException(group + " has static member "
                    + join.groupInstanceId() + " but is " + group.state());
        }
    }

    private void parkJoin(GroupMember member, ReplyTo<JoinGroupResponseData> reply, Effects fx) {
        if (member.isAwaitingJoin()) {
            // A retried JoinGroup replaces the parked one, which must still get an answer.
            fx.replyJoin(member.joinReply(), Responses.joinError(member.memberId(), Errors.REBALANCE_IN_PROGRESS));
        }
        member.joinReply(reply);
    }

    private static String reason(JoinRequest join) {
        return join.reason() == null || join.reason().isEmpty() ? "" : " (" + join.reason() + ")";
    }
}
