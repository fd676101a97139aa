package io.millrace.engine.group.state;

import io.millrace.engine.group.record.GroupMetadataValue;
import io.millrace.engine.group.record.OffsetCommitValue;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.JoinGroupResponseData.JoinGroupResponseMember;

/**
 * A classic group: its state, generation, selected protocol, leader, members and committed
 * offsets. This class keeps the group's own bookkeeping consistent (leader, static members,
 * pending members); the protocol's decisions live in {@link JoinGroupRequests},
 * {@link MemberRequests}, {@link RebalancePhases} and {@link OffsetOperations}. Owned by one {@link GroupShard}; not thread-safe.
 */
final class ClassicGroup {

    private final String groupId;
    private GroupState state = GroupState.EMPTY;
    private GroupState previousState = GroupState.EMPTY;
    private long stateTimestampMs;
    private int generationId;
    private String protocolType;
    private String protocolName;
    private String leaderId;
    private boolean newMemberAdded;
    private Optional<Set<String>> subscribedTopics = Optional.empty();
    private final LinkedHashMap<String, GroupMember> members = new LinkedHashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    private final Set<String> pendingJoinMembers = new HashSet<>();
    private final Set<String> pendingSyncMembers = new HashSet<>();
    private final Map<TopicPartition, OffsetCommitValue> offsets = new HashMap<>();

    ClassicGroup(String groupId, long nowMs) {
        this.groupId = groupId;
        this.stateTimestampMs = nowMs;
    }

    String groupId() {
        return groupId;
    }

    GroupState state() {
        return state;
    }

    boolean is(GroupState s) {
        return state == s;
    }

    GroupState previousState() {
        return previousState;
    }

    long stateTimestampMs() {
        return stateTimestampMs;
    }

    void transitionTo(GroupState target, long nowMs) {
        if (!target.validPreviousStates().contains(state)) {
            throw new IllegalStateException("group " + groupId + " cannot go from " + state + " to " + target);
        }
        previousState = state;
        state = target;
        stateTimestampMs = nowMs;
    }

    int generationId() {
        return generationId;
    }

    String protocolType() {
        return protocolType;
    }

    String protocolName() {
        return protocolName;
    }

    String leaderId() {
        return leaderId;
    }

    boolean isLeader(String memberId) {
        return memberId.equals(leaderId);
    }

    boolean newMemberAdded() {
        return newMemberAdded;
    }

    void newMemberAdded(boolean value) {
        newMemberAdded = value;
    }

    // ---- members

    boolean hasMember(String memberId) {
        return members.containsKey(memberId);
    }

    GroupMember member(String memberId) {
        GroupMember member = members.get(memberId);
        if (member == null) {
            throw new IllegalStateException("group " + groupId + " has no member " + memberId);
        }
        return member;
    }

    Collection<GroupMember> members() {
        return Collections.unmodifiableCollection(members.values());
    }

    int size() {
        return members.size();
    }

    boolean isEmptyOfMembers() {
        return members.isEmpty();
    }

    /** Adds a member that has just joined; the first member fixes the protocol type and leads. */
    void add(GroupMember member) {
        if (members.isEmpty()) {
            protocolType = member.protocolType();
        }
        members.put(member.memberId(), member);
        if (leaderId == null) {
            leaderId = member.memberId();
        }
        if (member.isStatic()) {
            staticMembers.put(member.groupInstanceId(), member.memberId());
        }
        pendingJoinMembers.remove(member.memberId());
    }

    /** Removes a member; if it led the group, the next member in join order leads. */
    void remove(String memberId) {
        GroupMember member = members.remove(memberId);
        if (member == null) {
            return;
        }
        if (member.isStatic()) {
            staticMembers.remove(member.groupInstanceId(), memberId);
        }
        pendingSyncMembers.remove(memberId);
        if (memberId.equals(leaderId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
    }

    /** Gives a static member a new member id; the caller fences requests parked under the old one. */
    GroupMember replaceStaticMember(String groupInstanceId, String oldMemberId, String newMemberId) {
        GroupMember member = members.remove(oldMemberId);
        if (member == null) {
            throw new IllegalStateException("group " + groupId + " has no member " + oldMemberId
                    + " for instance " + groupInstanceId);
        }
        member.memberId(newMemberId);
        members.put(newMemberId, member);
        if (oldMemberId.equals(leaderId)) {
            leaderId = newMemberId;
        }
        staticMembers.put(groupInstanceId, newMemberId);
        if (pendingSyncMembers.remove(oldMemberId)) {
            pendingSyncMembers.add(newMemberId);
        }
        return member;
    }

    String staticMemberId(String groupInstanceId) {
        return groupInstanceId == null ? null : staticMembers.get(groupInstanceId);
    }

    boolean hasStaticMember(String groupInstanceId) {
        return staticMemberId(groupInstanceId) != null;
    }

    /** True if the instance id belongs to a member of the group with another member id. */
    boolean isStaticMemberFenced(String groupInstanceId, String memberId) {
        String current = staticMemberId(groupInstanceId);
        return current != null && !current.equals(memberId);
    }

    int numStaticMembers() {
        return staticMembers.size();
    }

    // ---- pending members: new members told MEMBER_ID_REQUIRED, not yet rejoined

    void addPendingJoinMember(String memberId) {
        pendingJoinMembers.add(memberId);
    }

    boolean isPendingJoinMember(String memberId) {
        return pendingJoinMembers.contains(memberId);
    }

    void removePendingJoinMember(String memberId) {
        pendingJoinMembers.remove(memberId);
    }

    int numPendingJoinMembers() {
        return pendingJoinMembers.size();
    }

    // ---- pending sync: members of the new generation that have not sent SyncGroup yet

    void addPendingSyncMember(String memberId) {
        pendingSyncMembers.add(memberId);
    }

    void removePendingSyncMember(String memberId) {
        pendingSyncMembers.remove(memberId);
    }

    boolean hasReceivedSyncFromAllMembers() {
        return pendingSyncMembers.isEmpty();
    }

    Set<String> pendingSyncMembers() {
        return Set.copyOf(pendingSyncMembers);
    }

    // ---- join phase

    int numAwaitingJoin() {
        int n = 0;
        for (GroupMember m : members.values()) {
            if (m.isAwaitingJoin()) {
                n++;
            }
        }
        return n;
    }

    boolean hasAllMembersJoined() {
        return numAwaitingJoin() == members.size() && pendingJoinMembers.isEmpty();
    }

    /** The longest rebalance timeout among the members: how long a join phase may last. */
    int rebalanceTimeoutMs() {
        int max = 0;
        for (GroupMember m : members.values()) {
            max = Math.max(max, m.rebalanceTimeoutMs());
        }
        return max;
    }

    /**
     * If the leader has not rejoined, hands leadership to a member that has. Returns false when
     * no member has rejoined (or there are no members).
     */
    boolean maybeElectNewJoinedLeader() {
        if (leaderId == null) {
            return false;
        }
        if (member(leaderId).isAwaitingJoin()) {
            return true;
        }
        for (GroupMember m : members.values()) {
            if (m.isAwaitingJoin()) {
                leaderId = m.memberId();
                return true;
            }
        }
        return false;
    }

    /** Starts the next generation: Completing rebalance with a selected protocol, or Empty. */
    void initNextGeneration(long nowMs) {
        generationId++;
        if (!members.isEmpty()) {
            protocolName = selectProtocol();
            transitionTo(GroupState.COMPLETING_REBALANCE, nowMs);
        } else {
            protocolName = null;
            transitionTo(GroupState.EMPTY, nowMs);
        }
        subscribedTopics = computeSubscribedTopics();
        pendingSyncMembers.clear();
    }

    // ---- protocols

    /**
     * Whether a member with these protocols may join: an empty group takes any non-empty
     * declaration; otherwise the type must match and one protocol must be one all members support.
     */
    boolean supportsProtocols(String memberProtocolType, List<GroupMember.Protocol> memberProtocols) {
        if (is(GroupState.EMPTY)) {
            return memberProtocolType != null && !memberProtocolType.isEmpty() && !memberProtocols.isEmpty();
        }
        if (!memberProtocolType.equals(protocolType)) {
            return false;
        }
        Set<String> candidates = candidateProtocols();
        return memberProtocols.stream().anyMatch(p -> members.isEmpty() || candidates.contains(p.name()));
    }

    /** Protocol names that every member supports. */
    Set<String> candidateProtocols() {
        Set<String> candidates = null;
        for (GroupMember m : members.values()) {
            Set<String> names = new LinkedHashSet<>();
            m.protocols().forEach(p -> names.add(p.name()));
            if (candidates == null) {
                candidates = names;
            } else {
                candidates.retainAll(names);
            }
        }
        return candidates == null ? Set.of() : candidates;
    }

    /**
     * Kafka's vote: every member votes for its most preferred candidate; most votes wins (ties go
     * to the smallest name, so the choice does not depend on member order).
     */
    String selectProtocol() {
        if (members.isEmpty()) {
            throw new IllegalStateException("cannot select a protocol for empty group " + groupId);
        }
        Set<String> candidates = candidateProtocols();
        Map<String, Integer> votes = new java.util.TreeMap<>();
        for (GroupMember m : members.values()) {
            votes.merge(m.vote(candidates), 1, Integer::sum);
        }
        String best = null;
        int bestVotes = -1;
        for (Map.Entry<String, Integer> e : votes.entrySet()) {
            if (e.getValue() > bestVotes) {
                best = e.getKey();
                bestVotes = e.getValue();
            }
        }
        return best;
    }

    /** The members as the leader sees them in its JoinGroup response. */
    List<JoinGroupResponseMember> currentMemberMetadata() {
        List<JoinGroupResponseMember> out = new ArrayList<>(members.size());
        for (GroupMember m : members.values()) {
            out.add(new JoinGroupResponseMember().setMemberId(m.memberId())
                    .setGroupInstanceId(m.groupInstanceId()).setMetadata(m.metadata(protocolName)));
        }
        return out;
    }

    // ---- subscriptions (consumer protocol only)

    /** The topics the members subscribe to, when known (consumer protocol and readable metadata). */
    Optional<Set<String>> subscribedTopics() {
        return subscribedTopics;
    }

    /** Unknown subscriptions count as subscribed to everything. */
    boolean isSubscribedTo(String topic) {
        return subscribedTopics.map(topics -> topics.contains(topic)).orElse(true);
    }

    private Optional<Set<String>> computeSubscribedTopics() {
        if (!ConsumerProtocol.PROTOCOL_TYPE.equals(protocolType)) {
            return Optional.empty();
        }
        if (members.isEmpty()) {
            return Optional.of(Set.of());
        }
        if (protocolName == null) {
            return Optional.empty();
        }
        Set<String> topics = new HashSet<>();
        try {
            for (GroupMember m : members.values()) {
                topics.addAll(ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(m.metadata(protocolName)))
                        .topics());
            }
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return Optional.of(topics);
    }

    // ---- offsets

    Map<TopicPartition, OffsetCommitValue> offsets() {
        return offsets;
    }

    /** True when nothing is left of the group: no members and no offsets. */
    boolean isDeletable() {
        return is(GroupState.EMPTY) && offsets.isEmpty();
    }

    // ---- records

    /** The group's metadata record value, with every member's current assignment. */
    GroupMetadataValue toMetadataValue() {
        List<GroupMetadataValue.Member> out = new ArrayList<>(members.size());
        for (GroupMember m : members.values()) {
            byte[] subscription = protocolName == null ? GroupMember.EMPTY_BYTES : m.metadata(protocolName);
            out.add(new GroupMetadataValue.Member(m.memberId(), m.groupInstanceId(), m.clientId(), m.clientHost(),
                    m.rebalanceTimeoutMs(), m.sessionTimeoutMs(), subscription, m.assignment()));
        }
        return new GroupMetadataValue(protocolType == null ? "" : protocolType, generationId, protocolName,
                leaderId, stateTimestampMs, out);
    }

    /** Replaces the group's membership with a loaded metadata record: Stable with members, else Empty. */
    void load(GroupMetadataValue value, long nowMs) {
        members.clear();
        staticMembers.clear();
        pendingJoinMembers.clear();
        pendingSyncMembers.clear();
        protocolType = value.protocolType().isEmpty() ? null : value.protocolType();
        generationId = value.generation();
        protocolName = value.protocol();
        leaderId = value.leader();
        for (GroupMetadataValue.Member m : value.members()) {
            List<GroupMember.Protocol> protocols = protocolName == null ? List.of()
                    : List.of(new GroupMember.Protocol(protocolName, m.subscription()));
            GroupMember member = new GroupMember(m.memberId(), m.groupInstanceId(), m.clientId(), m.clientHost(),
                    m.rebalanceTimeoutMs(), m.sessionTimeoutMs(), value.protocolType(), protocols);
            member.assignment(m.assignment());
            members.put(member.memberId(), member);
            if (member.isStatic()) {
                staticMembers.put(member.groupInstanceId(), member.memberId());
            }
        }
        if (leaderId != null && !members.containsKey(leaderId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
        previousState = state;
        state = members.isEmpty() ? GroupState.EMPTY : GroupState.STABLE;
        stateTimestampMs = value.currentStateTimestampMs() >= 0 ? value.currentStateTimestampMs() : nowMs;
        subscribedTopics = computeSubscribedTopics();
    }

    /** Forgets the membership (a group metadata tombstone); offsets stay. */
    void resetMembership(long nowMs) {
        load(new GroupMetadataValue("", 0, null, null, nowMs, List.of()), nowMs);
    }

    /** Marks the group deleted. */
    void markDead(long nowMs) {
        transitionTo(GroupState.DEAD, nowMs);
    }

    @Override
    public String toString() {
        return "group " + groupId + " (" + state + ", generation " + generationId + ", " + members.size()
                + " members)";
    }
}
