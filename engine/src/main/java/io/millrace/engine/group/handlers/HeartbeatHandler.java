package io.millrace.engine.group.handlers;

import io.millrace.engine.group.GroupCoordinator;
import io.millrace.engine.protocol.ApiHandler;
import io.millrace.engine.protocol.ApiRequest;
import io.vertx.core.Future;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.HeartbeatRequest;

/** Heartbeat 0-4: keeps a member's session alive; REBALANCE_IN_PROGRESS tells it to rejoin. */
final class HeartbeatHandler implements ApiHandler<HeartbeatRequest> {

    private final GroupCoordinator coordinator;

    HeartbeatHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.HEARTBEAT;
    }

    @Override
    public Future<ApiMessage> handle(ApiRequest<HeartbeatRequest> request) {
        return coordinator.heartbeat(request.body().data()).map(data -> data);
    }
}
