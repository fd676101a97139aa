package io.millrace.engine.group.state;

import io.millrace.engine.group.GroupCoordinatorConfig;
import io.millrace.engine.group.record.GroupRecord;
import io.millrace.engine.metrics.GroupSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group coordinator for the groups of one {@code __consumer_offsets} partition, as a pure
 * state machine: each call takes a request and the current time and returns a
 * {@link CoordinatorResult} (a response, records to write, replies due to parked requests). It
 * does no IO and reads no clock; deadlines are data ({@link #nextDeadlineMs()}) that the caller
 * turns into a timer which calls {@link #advanceTime}.
 *
 * <p>Loading: a new shard replays the partition's records ({@link #replay}) and then
 * {@link #onLoaded} starts the members' session timers.
 *
 * <p>Threading: not thread-safe. One owner (the offsets partition's event-loop context) makes
 * every call.
 */
public final class GroupShard {

    /** The group type ListGroups reports for classic groups. */
    public static final String CLASSIC_GROUP_TYPE = "classic";

    private final int partition;
    private final GroupCoordinatorConfig config;
    private final Supplier<String> uuids;
    private final Logger log;
    private final Map<String, ClassicGroup> groups = new HashMap<>();
    private final Deadlines deadlines = new Deadlines();
    private final RebalancePhases phases;
    private final JoinGroupRequests joins;
    private final MemberRequests memberRequests;
    private final OffsetOperations offsets;

    /**
     * @param partition the offsets partition this shard serves (for logs)
     * @param uuids the source of the random part of new member ids
     */
    public GroupShard(int partition, GroupCoordinatorConfig config, Supplier<String> uuids) {
        this.partition = partition;
        this.config = Objects.requireNonNull(config, "config");
        this.uuids = Objects.requireNonNull(uuids, "uuids");
        this.log = LoggerFactory.getLogger(GroupShard.class.getName() + ".p" + partition);
        this.phases = new RebalancePhases(this);
        this.joins = new JoinGroupRequests(this, phases);
        this.memberRequests = new MemberRequests(this, phases);
        this.offsets = new OffsetOperations(this);
    }

    public int partition() {
        return partition;
    }

    // ------------------------------------------------------------------ requests

    /** JoinGroup. The response comes as a reply to {@code reply}, now or in a later result. */
    public CoordinatorResult<Void> joinGroup(RequestMeta meta, JoinGroupRequestData request,
                                             ReplyTo<JoinGroupResponseData> reply, long nowMs) {
        Effects fx = new Effects();
        joins.join(meta, request, reply, fx, nowMs);
        return CoordinatorResult.of(null, fx);
    }

    /** SyncGroup. The response comes as a reply to {@code reply}, now or in a later result. */
    public CoordinatorResult<Void> syncGroup(SyncGroupRequestData request, ReplyTo<SyncGroupResponseData> reply,
                                             long nowMs) {
        Effects fx = new Effects();
        memberRequests.sync(request, reply, fx, nowMs);
        return CoordinatorResult.of(null, fx);
    }

    public CoordinatorResult<HeartbeatResponseData> heartbeat(HeartbeatRequestData request, long nowMs) {
        Errors error = memberRequests.heartbeat(request, nowMs);
        return CoordinatorResult.of(new HeartbeatResponseData().setErrorCode(error.code()));
    }

    /** LeaveGroup for a batch of members; the response has one entry per member. */
    public CoordinatorResult<LeaveGroupResponseData> leaveGroup(String groupId, List<MemberIdentity> members,
                                                                long nowMs) {
        Effects fx = new Effects();
        LeaveGroupResponseData response = memberRequests.leave(groupId, members, fx, nowMs);
        ClassicGroup group = groupId == null ? null : groups.get(groupId);
        if (group != null) {
            maybeDropUnusedGroup(group);
        }
        return CoordinatorResult.of(response, fx);
    }

    /** OffsetCommit; topics are named (the caller resolves topic ids and unknown topics). */
    public CoordinatorResult<OffsetCommitResponseData> commitOffsets(OffsetCommitRequestData request, long nowMs) {
        Effects fx = new Effects();
        OffsetCommitResponseData response = offsets.commit(request, fx, nowMs);
        return CoordinatorResult.of(response, fx);
    }

    /** OffsetFetch for one group. Reads only; no records. */
    public OffsetFetchResponseGroup fetchOffsets(OffsetFetchRequestGroup request) {
        return offsets.fetch(request);
    }

    public CoordinatorResult<OffsetDeleteResponseData> deleteOffsets(OffsetDeleteRequestData request) {
        Effects fx = new Effects();
        OffsetDeleteResponseData response = offsets.delete(request, fx);
        return CoordinatorResult.of(response, fx);
    }

    /** DeleteGroups: only groups without members can go; their offsets and metadata get tombstones. */
    public CoordinatorResult<List<DeletableGroupResult>> deleteGroups(List<String> groupIds, long nowMs) {
        Effects fx = new Effects();
        List<DeletableGroupResult> results = new ArrayList<>(groupIds.size());
        for (String groupId : groupIds) {
            ClassicGroup group = groupId == null ? null : groups.get(groupId);
            Errors error;
            if (group == null || group.is(GroupState.DEAD)) {
                error = Errors.GROUP_ID_NOT_FOUND;
            } else if (!group.is(GroupState.EMPTY)) {
                error = Errors.NON_EMPTY_GROUP;
            } else {
                deleteGroup(group, fx, nowMs);
                error = Errors.NONE;
            }
            results.add(new DeletableGroupResult().setGroupId(groupId).setErrorCode(error.code()));
        }
        return CoordinatorResult.of(results, fx);
    }

    /** ListGroups with optional state and type filters (matched ignoring case; empty = all). */
    public List<ListedGroup> listGroups(Set<String> statesFilter, Set<String> typesFilter) {
        Set<String> states = lower(statesFilter);
        Set<String> types = lower(typesFilter);
        if (!types.isEmpty() && !types.contains(CLASSIC_GROUP_TYPE)) {
            return List.of();
        }
        List<ListedGroup> out = new ArrayList<>();
        for (ClassicGroup g : groups.values()) {
            if (states.isEmpty() || states.contains(g.state().wireName().toLowerCase(Locale.ROOT))) {
                out.add(new ListedGroup().setGroupId(g.groupId())
                        .setProtocolType(g.protocolType() == null ? "" : g.protocolType())
                        .setGroupState(g.state().wireName()).setGroupType(CLASSIC_GROUP_TYPE));
            }
        }
        return out;
    }

    /**
     * DescribeGroups for one group. An unknown group comes back as state Dead with
     * GROUP_ID_NOT_FOUND; the handler keeps or clears the error as the request version wants.
     */
    public DescribedGroup describeGroup(String groupId) {
        ClassicGroup g = groupId == null ? null : groups.get(groupId);
        if (g == null) {
            return new DescribedGroup().setGroupId(groupId).setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                    .setGroupState(GroupState.DEAD.wireName()).setProtocolType("").setProtocolData("");
        }
        boolean stable = g.is(GroupState.STABLE);
        List<DescribedGroupMember> members = new ArrayList<>(g.size());
        for (GroupMember m : g.members()) {
            members.add(new DescribedGroupMember().setMemberId(m.memberId())
                    .setGroupInstanceId(m.groupInstanceId()).setClientId(m.clientId())
                    .setClientHost(m.clientHost())
                    .setMemberMetadata(stable ? m.metadata(g.protocolName()) : GroupMember.EMPTY_BYTES)
                    .setMemberAssignment(stable ? m.assignment() : GroupMember.EMPTY_BYTES));
        }
        return new DescribedGroup().setGroupId(groupId).setErrorCode(Errors.NONE.code())
                .setGroupState(g.state().wireName()).setProtocolType(g.protocolType() == null ? "" : g.protocolType())
                .setProtocolData(stable ? g.protocolName() : "").setMembers(members);
    }

    // ------------------------------------------------------------------ time

    /** The earliest deadline, if any: call {@link #advanceTime} at or after it. */
    public OptionalLong nextDeadlineMs() {
        return deadlines.nextDeadlineMs();
    }

    /** Runs what is due: session expiries, join and sync phase ends, offset expiry. */
    public CoordinatorResult<Void> advanceTime(long nowMs) {
        Effects fx = new Effects();
        deadlines.runExpired(nowMs, fx);
        return CoordinatorResult.of(null, fx);
    }

    /** Deletes the offsets every group committed for these (deleted) topics. */
    public CoordinatorResult<Void> onTopicsDeleted(Set<String> topics) {
        Effects fx = new Effects();
        offsets.deleteTopics(topics, fx);
        return CoordinatorResult.of(null, fx);
    }

    // ------------------------------------------------------------------ loading and unloading

    /** Applies one record read from the partition while loading, in log order. */
    public void replay(GroupRecord record, long nowMs) {
        if (record instanceof GroupRecord.OffsetCommit commit) {
            if (commit.isTombstone()) {
                ClassicGroup group = groups.get(commit.groupId());
                if (group != null) {
                    group.offsets().remove(commit.partition());
                    maybeDropUnusedGroup(group);
                }
            } else {
                groups.computeIfAbsent(commit.groupId(), id -> new ClassicGroup(id, nowMs)).offsets()
                        .put(commit.partition(), commit.value());
            }
        } else if (record instanceof GroupRecord.GroupMetadata metadata) {
            if (metadata.isTombstone()) {
                ClassicGroup group = groups.get(metadata.groupId());
                if (group != null) {
                    group.resetMembership(nowMs);
                    maybeDropUnusedGroup(group);
                }
            } else {
                groups.computeIfAbsent(metadata.groupId(), id -> new ClassicGroup(id, nowMs))
                        .load(metadata.value(), nowMs);
            }
        }
    }

    /**
     * Ends loading: every loaded member gets a full session timeout to heartbeat, groups above
     * {@code group.max.size} rebalance, and offset expiry starts.
     */
    public CoordinatorResult<Void> onLoaded(long nowMs) {
        Effects fx = new Effects();
        for (ClassicGroup group : new ArrayList<>(groups.values())) {
            for (GroupMember m : group.members()) {
                phases.scheduleSession(group, m, nowMs);
            }
            if (group.size() > config.groupMaxSize()) {
                phases.prepareRebalance(group, "group has " + group.size() + " members, above group.max.size "
                        + config.groupMaxSize(), fx, nowMs);
            }
        }
        scheduleOffsetsExpiry(nowMs);
        return CoordinatorResult.of(null, fx);
    }

    /**
     * The broker no longer leads this partition: parked requests are answered with
     * NOT_COORDINATOR (their clients go and find the new coordinator) and the shard is emptied.
     */
    public CoordinatorResult<Void> unload() {
        Effects fx = new Effects();
        for (ClassicGroup group : groups.values()) {
            phases.failParkedRequests(group, Errors.NOT_COORDINATOR, fx);
        }
        groups.clear();
        deadlines.clear();
        return CoordinatorResult.of(null, fx);
    }

    /** Every group's state, generation, member count and committed offsets, for the metrics. */
    public List<GroupSnapshot> snapshot() {
        List<GroupSnapshot> out = new ArrayList<>(groups.size());
        for (ClassicGroup g : groups.values()) {
            Map<TopicPartition, Long> committed = new HashMap<>();
            g.offsets().forEach((tp, v) -> committed.put(tp, v.offset()));
            out.add(new GroupSnapshot(g.groupId(), g.state().wireName(), g.generationId(), g.size(), committed));
        }
        return out;
    }

    /** The number of groups (for metrics and tests). */
    public int groupCount() {
        return groups.size();
    }

    // ------------------------------------------------------------------ shared with the protocol classes

    GroupCoordinatorConfig config() {
        return config;
    }

    Deadlines deadlines() {
        return deadlines;
    }

    Logger log() {
        return log;
    }

    MemberRequests memberRequests() {
        return memberRequests;
    }

    String newUuid() {
        return uuids.get();
    }

    ClassicGroup group(String groupId) {
        return groupId == null ? null : groups.get(groupId);
    }

    Collection<ClassicGroup> groups() {
        return groups.values();
    }

    ClassicGroup createGroup(String groupId, long nowMs) {
        ClassicGroup group = new ClassicGroup(groupId, nowMs);
        groups.put(groupId, group);
        return group;
    }

    /**
     * Forgets a group that never had a generation, has no offsets and no one waiting to join:
     * nothing of it was ever written, so nothing needs a tombstone.
     */
    void maybeDropUnusedGroup(ClassicGroup group) {
        if (group.is(GroupState.EMPTY) && group.generationId() == 0 && group.offsets().isEmpty()
                && group.numPendingJoinMembers() == 0 && groups.get(group.groupId()) == group) {
            groups.remove(group.groupId());
            cancelGroupDeadlines(group);
        }
    }

    /** Writes tombstones for a group's offsets and metadata and forgets it. */
    void deleteGroup(ClassicGroup group, Effects fx, long nowMs) {
        group.offsets().keySet().forEach(tp -> fx.append(GroupRecord.OffsetCommit.tombstone(group.groupId(), tp)));
        group.offsets().clear();
        fx.append(GroupRecord.GroupMetadata.tombstone(group.groupId()));
        group.markDead(nowMs);
        groups.remove(group.groupId());
        cancelGroupDeadlines(group);
        log.info("Deleted group {}", group.groupId());
    }

    private void cancelGroupDeadlines(ClassicGroup group) {
        deadlines.cancel(Deadlines.Key.join(group.groupId()));
        deadlines.cancel(Deadlines.Key.sync(group.groupId()));
        group.members().forEach(m -> deadlines.cancel(Deadlines.Key.session(group.groupId(), m.memberId())));
    }

    private void scheduleOffsetsExpiry(long nowMs) {
        deadlines.schedule(Deadlines.Key.OFFSETS_EXPIRY, nowMs + config.offsetsRetentionCheckIntervalMs(),
                (fx, now) -> {
                    offsets.expire(fx, now);
                    scheduleOffsetsExpiry(now);
                });
    }

    private static Set<String> lower(Set<String> values) {
        return values == null ? Set.of()
                : values.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }
}
