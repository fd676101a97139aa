package io.millrace.engine.group.state;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;

/**
 * One member of a classic group: who it is, the protocols it supports in its order of
 * preference, its assignment, and the JoinGroup or SyncGroup request it has parked, if any.
 * Owned by its {@link ClassicGroup}; not thread-safe.
 */
final class GroupMember {

    static final byte[] EMPTY_BYTES = new byte[0];

    /** A protocol (assignor) the member supports, with the member's metadata for it. */
    record Protocol(String name, byte[] metadata) {
        Protocol {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(metadata, "metadata");
        }

        boolean sameAs(Protocol other) {
            return name.equals(other.name) && Arrays.equals(metadata, other.metadata);
        }
    }

    private String memberId;
    private final String groupInstanceId;
    private final String protocolType;
    private String clientId;
    private String clientHost;
    private int rebalanceTimeoutMs;
    private int sessionTimeoutMs;
    private List<Protocol> protocols;
    private byte[] assignment = EMPTY_BYTES;
    private ReplyTo<JoinGroupResponseData> joinReply;
    private ReplyTo<SyncGroupResponseData> syncReply;
    private boolean isNew;

    GroupMember(String memberId, String groupInstanceId, String clientId, String clientHost,
                int rebalanceTimeoutMs, int sessionTimeoutMs, String protocolType, List<Protocol> protocols) {
        this.memberId = Objects.requireNonNull(memberId, "memberId");
        this.groupInstanceId = groupInstanceId;
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.clientHost = Objects.requireNonNull(clientHost, "clientHost");
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.protocolType = Objects.requireNonNull(protocolType, "protocolType");
        this.protocols = List.copyOf(protocols);
    }

    String memberId() {
        return memberId;
    }

    void memberId(String newMemberId) {
        this.memberId = newMemberId;
    }

    String groupInstanceId() {
        return groupInstanceId;
    }

    boolean isStatic() {
        return groupInstanceId != null;
    }

    String clientId() {
        return clientId;
    }

    String clientHost() {
        return clientHost;
    }

    int rebalanceTimeoutMs() {
        return rebalanceTimeoutMs;
    }

    int sessionTimeoutMs() {
        return sessionTimeoutMs;
    }

    String protocolType() {
        return protocolType;
    }

    List<Protocol> protocols() {
        return protocols;
    }

    /** Replaces what a rejoining member declares about itself. */
    void update(String clientId, String clientHost, int rebalanceTimeoutMs, int sessionTimeoutMs,
                List<Protocol> protocols) {
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.protocols = List.copyOf(protocols);
    }

    byte[] assignment() {
        return assignment;
    }

    void assignment(byte[] assignment) {
        this.assignment = Objects.requireNonNull(assignment, "assignment");
    }

    /** The member's metadata for a protocol it supports. */
    byte[] metadata(String protocolName) {
        for (Protocol p : protocols) {
            if (p.name().equals(protocolName)) {
                return p.metadata();
            }
        }
        throw new IllegalStateException("member " + memberId + " does not support protocol " + protocolName);
    }

    boolean supports(String protocolName) {
        return protocols.stream().anyMatch(p -> p.name().equals(protocolName));
    }

    /** The member's most preferred protocol among the candidates. */
    String vote(Set<String> candidates) {
        for (Protocol p : protocols) {
            if (candidates.contains(p.name())) {
                return p.name();
            }
        }
        throw new IllegalStateException("member " + memberId + " supports none of " + candidates);
    }

    /** True if the member declares exactly these protocols, in this order, with this metadata. */
    boolean matches(List<Protocol> other) {
        if (other.size() != protocols.size()) {
            return false;
        }
        for (int i = 0; i < other.size(); i++) {
            if (!other.get(i).sameAs(protocols.get(i))) {
                return false;
            }
        }
        return true;
    }

    ReplyTo<JoinGroupResponseData> joinReply() {
        return joinReply;
    }

    void joinReply(ReplyTo<JoinGroupResponseData> reply) {
        this.joinReply = reply;
    }

    boolean isAwaitingJoin() {
        return joinReply != null;
    }

    ReplyTo<SyncGroupResponseData> syncReply() {
        return syncReply;
    }

    void syncReply(ReplyTo<SyncGroupResponseData> reply) {
        this.syncReply = reply;
    }

    boolean isAwaitingSync() {
        return syncReply != null;
    }

    boolean isNew() {
        return isNew;
    }

    void isNew(boolean isNew) {
        this.isNew = isNew;
    }

    /**
     * Whether a session expiry should spare this member: members with a parked JoinGroup or
     * SyncGroup cannot heartbeat, so they are spared, except brand-new members, whose parked
     * JoinGroup has its own (longer) deadline.
     */
    boolean sparedBySessionExpiry() {
        return !isNew && (isAwaitingJoin() || isAwaitingSync());
    }

    @Override
    public String toString() {
        return memberId + (groupInstanceId == null ? "" : " (instance " + groupInstanceId + ")");
    }
}
