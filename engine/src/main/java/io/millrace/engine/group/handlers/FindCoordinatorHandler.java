package io.millrace.engine.group.handlers;

import io.millrace.engine.group.GroupCoordinator;
import io.millrace.engine.group.GroupCoordinator.Coordinator;
import io.millrace.engine.protocol.ApiHandler;
import io.millrace.engine.protocol.ApiRequest;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorRequest.CoordinatorType;

/**
 * FindCoordinator 0-6: where a group's coordinator is (v4+ answers several keys at once).
 * Groups only: this broker has no transaction or share-group coordinator, and says so.
 */
final class FindCoordinatorHandler implements ApiHandler<FindCoordinatorRequest> {

    private final GroupCoordinator coordinator;

    FindCoordinatorHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FIND_COORDINATOR;
    }

    @Override
    public Future<ApiMessage> handle(ApiRequest<FindCoordinatorRequest> request) {
        FindCoordinatorRequestData data = request.body().data();
        String listener = request.connection().listenerName();
        byte keyType = request.version() >= 1 ? data.keyType() : CoordinatorType.GROUP.id();
        if (request.version() < FindCoordinatorRequest.MIN_BATCHED_VERSION) {
            return find(data.key(), keyType, listener).map(c -> new FindCoordinatorResponseData()
                    .setErrorCode(c.error().code()).setErrorMessage(c.message()).setNodeId(c.nodeId())
                    .setHost(c.host()).setPort(c.port()));
        }
        List<Future<FindCoordinatorResponseData.Coordinator>> answers = new ArrayList<>();
        for (String key : data.coordinatorKeys()) {
            answers.add(find(key, keyType, listener).map(c -> new FindCoordinatorResponseData.Coordinator()
                    .setKey(key).setErrorCode(c.error().code()).setErrorMessage(c.message())
                    .setNodeId(c.nodeId()).setHost(c.host()).setPort(c.port())));
        }
        return Future.all(answers).map(all -> {
            FindCoordinatorResponseData response = new FindCoordinatorResponseData();
            answers.forEach(a -> response.coordinators().add(a.result()));
            return response;
        });
    }

    private Future<Coordinator> find(String key, byte keyType, String listener) {
        if (keyType == CoordinatorType.GROUP.id()) {
            return coordinator.findCoordinator(key, listener).recover(e -> Future.succeededFuture(
                    new Coordinator(Errors.COORDINATOR_NOT_AVAILABLE, e.getMessage(), -1, "", -1)));
        }
        String what = keyType == CoordinatorType.TRANSACTION.id() ? "transactions"
                : keyType == CoordinatorType.SHARE.id() ? "share groups" : "coordinator key type " + keyType;
        return Future.succeededFuture(new Coordinator(Errors.INVALID_REQUEST,
                "this broker does not support " + what, -1, "", -1));
    }
}
