package io.millrace.engine.group.handlers;

import io.millrace.engine.group.GroupCoordinator;
import io.millrace.engine.protocol.ApiHandler;
import io.millrace.engine.protocol.ApiRequest;
import io.vertx.core.Future;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.HeartbeatRequest;

/**
 * Heartbeat 0-4: keeps a member's session alive; REBALANCE_IN_PROGRESS tells it to rejoin. While
 * the group's partition is still loading the answer is NONE, as Kafka gives it: the member's
 * session starts afresh once the group is loaded.
 */
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
        return coordinator.heartbeat(request.body().data()).<ApiMessage>map(data -> data)
                .recover(e -> e instanceof CoordinatorLoadInProgressException
                        ? Future.succeededFuture(new HeartbeatResponseData().setErrorCode(Errors.NONE.code()))
                        : Future.failedFuture(e));
    }
}
