package io.millrace.engine.group.handlers;

import io.millrace.engine.group.GroupCoordinator;
import io.millrace.engine.protocol.ApiHandler;
import io.millrace.engine.protocol.ApiRequest;
import io.vertx.core.Future;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.JoinGroupResponse;

/**
 * JoinGroup 0-9. The response waits (parked in the coordinator) until the group's join phase
 * ends; v4+ new members first get MEMBER_ID_REQUIRED with their id, v5+ may be static
 * ({@code group.instance.id}), v9+ static leaders may be told to skip the assignment.
 */
final class JoinGroupHandler implements ApiHandler<JoinGroupRequest> {

    private final GroupCoordinator coordinator;

    JoinGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.JOIN_GROUP;
    }

    @Override
    public Future<ApiMessage> handle(ApiRequest<JoinGroupRequest> request) {
        return coordinator.joinGroup(Clients.meta(request), request.body().data())
                // JoinGroupResponse puts the protocol name in the form each version wants.
                .map(data -> new JoinGroupResponse(data, request.version()).data());
    }
}
