package io.millrace.engine.group.handlers;

import io.millrace.engine.group.GroupCoordinator;
import io.millrace.engine.protocol.ApiHandler;
import io.millrace.engine.protocol.ApiRequest;
import io.vertx.core.Future;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.SyncGroupRequest;

/**
 * SyncGroup 0-5: the leader hands in the assignment, every member gets its own. Followers wait
 * for the leader; nobody gets an assignment before it is written to {@code __consumer_offsets}.
 */
final class SyncGroupHandler implements ApiHandler<SyncGroupRequest> {

    private final GroupCoordinator coordinator;

    SyncGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SYNC_GROUP;
    }

    @Override
    public Future<ApiMessage> handle(ApiRequest<SyncGroupRequest> request) {
        return coordinator.syncGroup(request.body().data()).map(data -> data);
    }
}
