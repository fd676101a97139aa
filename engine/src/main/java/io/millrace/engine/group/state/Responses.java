package io.millrace.engine.group.state;

import java.util.List;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/** The responses of the requests that can be parked; the error ones are shared with the IO layer. */
public final class Responses {

    /** The generation id of a response without a generation. */
    public static final int NO_GENERATION = -1;

    private Responses() {
    }

    /** A JoinGroup error; {@code memberId} is echoed so MEMBER_ID_REQUIRED can carry the new id. */
    public static JoinGroupResponseData joinError(String memberId, Errors error) {
        return new JoinGroupResponseData().setErrorCode(error.code()).setMemberId(memberId)
                .setGenerationId(NO_GENERATION).setProtocolName(null).setLeader("").setMembers(List.of());
    }

    public static SyncGroupResponseData syncError(Errors error) {
        return new SyncGroupResponseData().setErrorCode(error.code()).setAssignment(GroupMember.EMPTY_BYTES);
    }

    static JoinGroupResponseData joinSuccess(ClassicGroup group, String memberId, boolean withMembers,
                                              String leaderId, boolean skipAssignment) {
        return new JoinGroupResponseData().setErrorCode(Errors.NONE.code()).setMemberId(memberId)
                .setGenerationId(group.generationId()).setProtocolType(group.protocolType())
                .setProtocolName(group.protocolName()).setLeader(leaderId)
                .setSkipAssignment(skipAssignment)
                .setMembers(withMembers ? group.currentMemberMetadata() : List.of());
    }

    static SyncGroupResponseData syncSuccess(ClassicGroup group, GroupMember member) {
        return new SyncGroupResponseData().setErrorCode(Errors.NONE.code()).setProtocolType(group.protocolType())
                .setProtocolName(group.protocolName()).setAssignment(member.assignment());
    }
}
