package io.millrace.streams;

import io.millrace.streams.processor.TaskId;
import java.util.Set;

/**
 * A stream thread of this instance: its name, state and the tasks it runs now.
 *
 * <p>Immutable; thread-safe (a snapshot).
 */
public record ThreadMetadata(String threadName, String threadState, Set<TaskId> activeTasks, Set<TaskId> standbyTasks) {}
