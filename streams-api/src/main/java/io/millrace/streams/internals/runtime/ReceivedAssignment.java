package io.millrace.streams.internals.runtime;

import io.millrace.streams.processor.TaskId;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The last assignment a stream thread received: its active tasks with their input partitions,
 * its standbys, the application-wide error, where every instance's tasks are (for interactive
 * query routing) and whether to rejoin at once.
 *
 * <p>Immutable.
 */
record ReceivedAssignment(
    Set<TaskId> active,
    Set<TaskId> standby,
    Map<TaskId, Set<TopicPartition>> partitions,
    int error,
    Map<String, AssignmentProtocol.HostTasks> hosts,
    boolean rejoin) {

  static final ReceivedAssignment NONE =
      new ReceivedAssignment(Set.of(), Set.of(), Map.of(), AssignmentProtocol.NO_ERROR, Map.of(), false);

  /** Groups the assigned partitions by task (a task is a sub-topology on one partition number). */
  static ReceivedAssignment of(AssignmentProtocol.Assignment assignment, Collection<TopicPartition> assigned,
      Map<String, Integer> subtopologyByTopic) {
    Map<TaskId, Set<TopicPartition>> byTask = new HashMap<>();
    for (TopicPartition tp : assigned) {
      Integer sub = subtopologyByTopic.get(tp.topic());
      if (sub != null) {
        byTask.computeIfAbsent(new TaskId(sub, tp.partition()), k -> new HashSet<>()).add(tp);
      }
    }
    byTask.replaceAll((id, tps) -> Set.copyOf(tps));
    return new ReceivedAssignment(assignment.active(), assignment.standby(), Map.copyOf(byTask), assignment.error(),
        assignment.hosts() == null ? Map.of() : Map.copyOf(assignment.hosts()), assignment.rejoin());
  }

  Set<TopicPartition> partitionsOf(TaskId task) {
    return partitions.getOrDefault(task, Set.of());
  }
}
