package io.millrace.streams.internals.runtime;

import io.millrace.streams.processor.TaskId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's group assignor (the consumer runs it; the group leader's instance computes
 * everyone's assignment). It assigns tasks rather than partitions: a member gets every source
 * partition of its tasks, so co-partitioned inputs always meet in one task. Placement is {@link
 * TaskAssignor}'s.
 *
 * <p>It speaks the cooperative protocol: members keep their partitions while the group
 * rebalances, and a task that moves is first only taken away from its owner (which revokes it and
 * rejoins), then given to its new member in the rebalance that follows ({@link
 * TaskAssignor#withholdOwnedElsewhere}).
 *
 * <p>It also carries the application-wide shutdown signal: a member whose subscription asks for
 * it makes every member's assignment carry {@link AssignmentProtocol#SHUTDOWN_APPLICATION}.
 *
 * <p>Threading: the consumer calls it on its stream thread, inside {@code poll}; {@link #assign}
 * runs on the group leader's thread only.
 */
public final class StreamsPartitionAssignor implements ConsumerPartitionAssignor, Configurable {
  private static final Logger log = LoggerFactory.getLogger(StreamsPartitionAssignor.class);
  private AssignorContext context;

  @Override
  public void configure(Map<String, ?> configs) {
    Object c = configs.get(AssignorContext.CONFIG_KEY);
    if (!(c instanceof AssignorContext ctx)) {
      throw new ConfigException(getClass().getName() + " is only for the streams runtime's own consumers");
    }
    this.context = ctx;
  }

  @Override
  public String name() {
    return "millrace-streams";
  }

  @Override
  public ByteBuffer subscriptionUserData(Set<String> topics) {
    AssignorContext.Member m = context.member();
    return AssignmentProtocol.encode(AssignmentProtocol.Subscription.of(context.processId(), context.endpoint(),
        m.activeTasks(), m.standbyTasks(), m.tasksWithState(), m.shutdownRequested()));
  }

  @Override
  public GroupAssignment assign(Cluster metadata, GroupSubscription groupSubscription) {
    Map<String, Subscription> subs = groupSubscription.groupSubscription();
    Map<UUID, TaskAssignor.Client> clients = new TreeMap<>();
    Map<UUID, String> endpoints = new HashMap<>();
    boolean shutdown = false;
    for (Map.Entry<String, Subscription> e : subs.entrySet()) {
      AssignmentProtocol.Subscription info =
          AssignmentProtocol.decode(e.getValue().userData(), AssignmentProtocol.Subscription.class);
      shutdown |= info.shutdownRequested();
      clients.computeIfAbsent(info.processId(), TaskAssignor.Client::new)
          .addMember(e.getKey(), info.active(), info.standby(), info.withState());
      if (info.endpoint() != null && !info.endpoint().isEmpty()) {
        endpoints.put(info.processId(), info.endpoint());
      }
    }
    if (shutdown) {
      return shutdownEveryone(subs.keySet());
    }
    Set<TaskId> tasks = tasks(metadata);
    Map<String, TaskAssignor.MemberAssignment> target = TaskAssignor.assign(clients, tasks, context.numStandbys());
    Map<String, TaskAssignor.MemberAssignment> placed = TaskAssignor.withholdOwnedElsewhere(target, owners(subs));
    int withheld = 0;
    for (String member : target.keySet()) {
      withheld += target.get(member).active().size() - placed.get(member).active().size();
    }
    Map<String, AssignmentProtocol.HostTasks> hosts = hosts(clients, endpoints);
    Map<String, Assignment> result = new HashMap<>();
    for (String member : subs.keySet()) {
      TaskAssignor.MemberAssignment a = placed.get(member);
      result.put(member, new Assignment(partitions(a.active(), metadata), AssignmentProtocol.encode(
          AssignmentProtocol.Assignment.of(a.active(), a.standby(), AssignmentProtocol.NO_ERROR, hosts, withheld > 0))));
    }
    log.info("Assigned {} tasks to {} members of {} instances{}", tasks.size(), subs.size(), clients.size(),
        withheld == 0 ? "" : "; " + withheld + " moving tasks wait for their owners to release them");
    return new GroupAssignment(result);
  }

  private static GroupAssignment shutdownEveryone(Set<String> members) {
    log.warn("An instance asked the application to shut down; telling all {} members", members.size());
    Map<String, Assignment> result = new HashMap<>();
    for (String member : members) {
      result.put(member, new Assignment(List.of(), AssignmentProtocol.encode(AssignmentProtocol.Assignment.of(
          Set.of(), Set.of(), AssignmentProtocol.SHUTDOWN_APPLICATION, Map.of(), false))));
    }
    return new GroupAssignment(result);
  }

  /** Every source partition of the tasks: a member reads whole tasks. */
  private List<TopicPartition> partitions(Set<TaskId> active, Cluster metadata) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (TaskId t : active) {
      for (String topic : context.sourceTopicsBySubtopology().getOrDefault(t.subtopology(), List.of())) {
        Integer n = metadata.partitionCountForTopic(topic);
        if (n != null && t.partition() < n) {
          partitions.add(new TopicPartition(topic, t.partition()));
        }
      }
    }
    return partitions;
  }

  /** Which members own each task's partitions now (the cooperative protocol's owned partitions). */
  private Map<TaskId, Set<String>> owners(Map<String, Subscription> subs) {
    Map<String, Integer> subtopologyByTopic = new HashMap<>();
    context.sourceTopicsBySubtopology().forEach((sub, topics) -> topics.forEach(t -> subtopologyByTopic.put(t, sub)));
    Map<TaskId, Set<String>> owners = new HashMap<>();
    subs.forEach((member, subscription) -> {
      for (TopicPartition tp : subscription.ownedPartitions()) {
        Integer sub = subtopologyByTopic.get(tp.topic());
        if (sub != null) {
          owners.computeIfAbsent(new TaskId(sub, tp.partition()), k -> new TreeSet<>()).add(member);
        }
      }
    });
    return owners;
  }

  /** Cooperative only: tasks that stay on a member keep running through a rebalance. */
  @Override
  public List<RebalanceProtocol> supportedProtocols() {
    return List.of(RebalanceProtocol.COOPERATIVE);
  }

  /** Every task: one per sub-topology and partition of its widest source topic. */
  private Set<TaskId> tasks(Cluster metadata) {
    Set<TaskId> tasks = new TreeSet<>();
    context.sourceTopicsBySubtopology().forEach((sub, topics) -> {
      int max = 0;
      for (String t : topics) {
        Integer n = metadata.partitionCountForTopic(t);
        if (n == null) {
          log.warn("Source topic {} of sub-topology {} is not in the metadata; its tasks wait", t, sub);
        } else {
          max = Math.max(max, n);
        }
      }
      for (int p = 0; p < max; p++) {
        tasks.add(new TaskId(sub, p));
      }
    });
    return tasks;
  }

  private static Map<String, AssignmentProtocol.HostTasks> hosts(
      Map<UUID, TaskAssignor.Client> clients, Map<UUID, String> endpoints) {
    Map<String, AssignmentProtocol.HostTasks> hosts = new TreeMap<>();
    for (TaskAssignor.Client c : clients.values()) {
      String endpoint = endpoints.get(c.processId);
      if (endpoint != null) {
        hosts.put(endpoint, new AssignmentProtocol.HostTasks(
            AssignmentProtocol.names(c.active), AssignmentProtocol.names(c.standby)));
      }
    }
    return hosts;
  }

  @Override
  public void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {
    context.member().onAssignment(
        AssignmentProtocol.decode(assignment.userData(), AssignmentProtocol.Assignment.class), assignment.partitions());
  }
}
