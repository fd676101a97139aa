package io.millrace.engine.group.record;

import java.util.List;
import java.util.Objects;

/**
 * A classic group's metadata as stored in {@code __consumer_offsets}: written when a generation
 * is assigned (with every member's assignment) and when the group becomes empty.
 *
 * @param protocolType the members' protocol type ("consumer", "connect", ...), empty for none
 * @param generation the generation id
 * @param protocol the selected protocol (assignor) name, null when the group is empty
 * @param leader the leader's member id, null when the group is empty
 * @param currentStateTimestampMs when the group entered its current state, -1 when unknown
 * @param members the members with their subscription (the selected protocol's metadata) and assignment
 */
public record GroupMetadataValue(String protocolType, int generation, String protocol, String leader,
                                 long currentStateTimestampMs, List<Member> members) {

    public GroupMetadataValue {
        Objects.requireNonNull(protocolType, "protocolType");
        members = List.copyOf(members);
    }

    /** One member: identity, timeouts, and the opaque bytes the members exchange. */
    public record Member(String memberId, String groupInstanceId, String clientId, String clientHost,
                         int rebalanceTimeoutMs, int sessionTimeoutMs, byte[] subscription, byte[] assignment) {

        public Member {
            Objects.requireNonNull(memberId, "memberId");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(clientHost, "clientHost");
            Objects.requireNonNull(subscription, "subscription");
            Objects.requireNonNull(assignment, "assignment");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Member m && memberId.equals(m.memberId)
                    && Objects.equals(groupInstanceId, m.groupInstanceId) && clientId.equals(m.clientId)
                    && clientHost.equals(m.clientHost) && rebalanceTimeoutMs == m.rebalanceTimeoutMs
                    && sessionTimeoutMs == m.sessionTimeoutMs
                    && java.util.Arrays.equals(subscription, m.subscription)
                    && java.util.Arrays.equals(assignment, m.assignment);
        }

        @Override
        public int hashCode() {
            return Objects.hash(memberId, groupInstanceId, clientId, clientHost, rebalanceTimeoutMs,
                    sessionTimeoutMs, java.util.Arrays.hashCode(subscription), java.util.Arrays.hashCode(assignment));
        }

        @Override
        public String toString() {
            return "Member[" + memberId + (groupInstanceId == null ? "" : " instance " + groupInstanceId)
                    + ", client " + clientId + "/" + clientHost + ", timeouts " + rebalanceTimeoutMs + "/"
                    + sessionTimeoutMs + " ms, " + subscription.length + "+" + assignment.length + " bytes]";
        }
    }
}
