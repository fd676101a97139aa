package io.millrace.engine.group.handlers;

import io.millrace.engine.group.GroupCoordinator;
import io.millrace.engine.protocol.ApiHandler;
import io.millrace.engine.protocol.ApiRequest;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.DeleteGroupsRequest;

/**
 * DeleteGroups 0-3: deletes groups without members, with their offsets (NON_EMPTY_GROUP for a
 * group with members, GROUP_ID_NOT_FOUND for none).
 */
final class DeleteGroupsHandler implements ApiHandler<DeleteGroupsRequest> {

    private final GroupCoordinator coordinator;

    DeleteGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_GROUPS;
    }

    @Override
    public Future<ApiMessage> handle(ApiRequest<DeleteGroupsRequest> request) {
        List<Future<DeletableGroupResult>> answers = new ArrayList<>();
        for (String groupId : request.body().data().groupsNames()) {
            answers.add(coordinator.deleteGroups(groupId).map(results -> results.get(0))
                    .otherwise(e -> new DeletableGroupResult().setGroupId(groupId)
                            .setErrorCode(Clients.error(e).code()).setErrorMessage(e.getMessage())));
        }
        return Future.all(answers).map(all -> {
            DeleteGroupsResponseData response = new DeleteGroupsResponseData();
            for (Future<DeletableGroupResult> a : answers) {
                if (response.results().find(a.result().groupId()) == null) {
                    response.results().add(a.result());
                }
            }
            return response;
        });
    }

}
