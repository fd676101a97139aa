package io.millrace.engine.group.handlers;

import io.millrace.engine.group.GroupCoordinator;
import io.millrace.engine.protocol.ApiHandler;
import io.millrace.engine.protocol.ApiRequest;
import io.vertx.core.Future;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.LeaveGroupRequest;
import org.apache.kafka.common.requests.LeaveGroupResponse;

/**
 * LeaveGroup 0-5: v0-2 one member by id, v3+ a batch of members (by id, or static members by
 * instance id), each answered on its own.
 */
final class LeaveGroupHandler implements ApiHandler<LeaveGroupRequest> {

    private final GroupCoordinator coordinator;

    LeaveGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LEAVE_GROUP;
    }

    @Override
    public Future<ApiMessage> handle(ApiRequest<LeaveGroupRequest> request) {
        LeaveGroupRequest body = request.body();
        return coordinator.leaveGroup(body.data().groupId(), body.members())
                .map(data -> new LeaveGroupResponse(data.members(), Errors.forCode(data.errorCode()), 0,
                        request.version()).data());
    }
}
