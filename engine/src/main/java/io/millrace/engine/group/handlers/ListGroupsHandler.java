package io.millrace.engine.group.handlers;

import io.millrace.engine.group.GroupCoordinator;
import io.millrace.engine.protocol.ApiHandler;
import io.millrace.engine.protocol.ApiRequest;
import io.vertx.core.Future;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.ListGroupsRequest;

/** ListGroups 0-5: the groups this broker coordinates; v4+ filtered by state, v5+ by type. */
final class ListGroupsHandler implements ApiHandler<ListGroupsRequest> {

    private final GroupCoordinator coordinator;

    ListGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_GROUPS;
    }

    @Override
    public Future<ApiMessage> handle(ApiRequest<ListGroupsRequest> request) {
        short version = request.version();
        ListGroupsRequestData data = request.body().data();
        Set<String> states = version >= 4 ? new HashSet<>(data.statesFilter()) : Set.of();
        Set<String> types = version >= 5 ? new HashSet<>(data.typesFilter()) : Set.of();
        return coordinator.listGroups(states, types).map(listed -> {
            ListGroupsResponseData response = new ListGroupsResponseData().setErrorCode(listed.error().code());
            for (ListedGroup g : listed.groups()) {
                ListedGroup out = new ListedGroup().setGroupId(g.groupId()).setProtocolType(g.protocolType());
                if (version >= 4) {
                    out.setGroupState(g.groupState());
                }
                if (version >= 5) {
                    out.setGroupType(g.groupType());
                }
                response.groups().add(out);
            }
            return response;
        });
    }
}
