package io.millrace.engine.group.handlers;

import io.millrace.engine.group.GroupCoordinator;
import io.millrace.engine.protocol.ApiHandler;
import io.millrace.engine.protocol.ApiRequest;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.apache.kafka.common.utils.Utils;

/**
 * DescribeGroups 0-6: state, protocol and members of each group; an unknown group is Dead, with
 * GROUP_ID_NOT_FOUND from v6 on (as Kafka 4 answers). Without an authorizer every client may do
 * everything, which v3+ reports when asked.
 */
final class DescribeGroupsHandler implements ApiHandler<DescribeGroupsRequest> {

    private static final int ALL_GROUP_OPERATIONS = Utils.to32BitField(Set.of(AclOperation.READ.code(),
            AclOperation.DESCRIBE.code(), AclOperation.DELETE.code()));

    private final GroupCoordinator coordinator;

    DescribeGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_GROUPS;
    }

    @Override
    public Future<ApiMessage> handle(ApiRequest<DescribeGroupsRequest> request) {
        short version = request.version();
        DescribeGroupsRequestData data = request.body().data();
        int operations = version >= 3 && data.includeAuthorizedOperations() ? ALL_GROUP_OPERATIONS
                : DescribeGroupsResponse.AUTHORIZED_OPERATIONS_OMITTED;
        List<Future<DescribedGroup>> answers = new ArrayList<>();
        for (String groupId : data.groups()) {
            answers.add(coordinator.describeGroup(groupId)
                    .map(g -> forVersion(g, version).setAuthorizedOperations(operations))
                    .otherwise(e -> DescribeGroupsResponse.groupError(groupId, Clients.error(e))));
        }
        return Future.all(answers).map(all -> {
            DescribeGroupsResponseData response = new DescribeGroupsResponseData();
            answers.forEach(a -> response.groups().add(a.result()));
            return response;
        });
    }

    private static DescribedGroup forVersion(DescribedGroup group, short version) {
        if (group.errorCode() == Errors.GROUP_ID_NOT_FOUND.code()) {
            if (version < 6) {
                return group.setErrorCode(Errors.NONE.code());
            }
            return group.setErrorMessage("Group " + group.groupId() + " not found.");
        }
        return group;
    }
}
