/**
 * One handler per group API (FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup,
 * OffsetCommit, OffsetFetch, ListGroups, DescribeGroups, DeleteGroups, OffsetDelete), each
 * declaring the versions it serves. They translate between the wire's versions and the
 * {@link io.millrace.engine.group.GroupCoordinator}; {@link io.millrace.engine.group.handlers.GroupApis}
 * registers them with the broker.
 */
package io.millrace.engine.group.handlers;
