package io.millrace.engine.group.handlers;

import io.millrace.engine.group.GroupCoordinator;
import io.millrace.engine.metadata.Controller;
import io.millrace.engine.protocol.ApiTable;

/** Registers the group APIs with the broker's {@link ApiTable}. */
public final class GroupApis {

    private GroupApis() {
    }

    public static ApiTable.Builder register(ApiTable.Builder table, GroupCoordinator coordinator,
                                            Controller controller) {
        return table
                .register(new FindCoordinatorHandler(coordinator))
                .register(new JoinGroupHandler(coordinator))
                .register(new SyncGroupHandler(coordinator))
                .register(new HeartbeatHandler(coordinator))
                .register(new LeaveGroupHandler(coordinator))
                .register(new OffsetCommitHandler(coordinator, controller))
                .register(new OffsetFetchHandler(coordinator, controller))
                .register(new ListGroupsHandler(coordinator))
                .register(new DescribeGroupsHandler(coordinator))
                .register(new DeleteGroupsHandler(coordinator))
                .register(new OffsetDeleteHandler(coordinator, controller));
    }
}
