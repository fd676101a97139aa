package io.millrace.streams;

import io.millrace.streams.processor.TaskId;
import java.util.Set;

/**
 * One instance of the application as the group's last assignment describes it: its query
 * endpoint and the tasks it runs and keeps standbys of.
 *
 * <p>Immutable; thread-safe.
 */
public record StreamsMetadata(HostInfo hostInfo, Set<TaskId> activeTasks, Set<TaskId> standbyTasks) {}
