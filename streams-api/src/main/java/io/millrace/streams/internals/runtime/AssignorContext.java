package io.millrace.streams.internals.runtime;

import io.millrace.streams.processor.TaskId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.TopicPartition;

/**
 * What a thread's {@link StreamsPartitionAssignor} needs: the topology's source topics per
 * sub-topology, this instance's identity, and the thread's task manager to report to. Passed to
 * the assignor (which the consumer instantiates) through the consumer's configuration.
 */
record AssignorContext(
    UUID processId,
    String endpoint,
    Map<Integer, List<String>> sourceTopicsBySubtopology,
    int numStandbys,
    Member member) {

  static final String CONFIG_KEY = "__millrace.streams.assignor.context__";

  /** The thread's side of the protocol. */
  interface Member {
    Set<TaskId> activeTasks();

    Set<TaskId> standbyTasks();

    Set<TaskId> tasksWithState();

    boolean shutdownRequested();

    /**
     * Called with this member's assignment and all its partitions after the partitions-revoked
     * callback (if any) and before the partitions-assigned one.
     */
    void onAssignment(AssignmentProtocol.Assignment assignment, Collection<TopicPartition> partitions);
  }
}
