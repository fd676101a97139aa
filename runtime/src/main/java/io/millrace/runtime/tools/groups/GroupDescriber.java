package io.millrace.runtime.tools.groups;

import io.millrace.runtime.tools.KafkaFailures;
import io.millrace.runtime.tools.TextTable;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * {@code consumer-groups --describe}: per group, one aligned table of its partitions (committed
 * offset, log end, lag, owner), its members, or its state. A group that does not exist is an
 * error; an empty or rebalancing group gets a note on stderr and its table still prints.
 */
final class GroupDescriber {

  enum View { OFFSETS, MEMBERS, STATE }

  private final Admin admin;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean verbose;

  GroupDescriber(Admin admin, PrintStream out, PrintStream err, boolean verbose) {
    this.admin = admin;
    this.out = out;
    this.err = err;
    this.verbose = verbose;
  }

  /** Describes each group; status 1 when one of them does not exist or cannot be described. */
  int describe(List<String> groups, View view) throws Exception {
    Map<String, KafkaFuture<ConsumerGroupDescription>> described = admin.describeConsumerGroups(groups).describedGroups();
    int status = 0;
    for (String group : groups) {
      ConsumerGroupDescription d;
      try {
        d = described.get(group).get();
      } catch (ExecutionException e) {
        if (KafkaFailures.unwrap(e) instanceof GroupIdNotFoundException) {
          err.println("Error: consumer group '" + group + "' does not exist.");
        } else {
          err.println("Error: cannot describe consumer group '" + group + "': " + KafkaFailures.describe(e, null));
        }
        status = 1;
        continue;
      }
      if (d.groupState() == GroupState.DEAD) {
        err.println("Error: consumer group '" + group + "' does not exist.");
        status = 1;
        continue;
      }
      noteState(d);
      out.println();
      switch (view) {
        case OFFSETS -> offsets(d).print(out);
        case MEMBERS -> members(d).print(out);
        case STATE -> state(d).print(out);
        default -> throw new IllegalStateException(view.name());
      }
    }
    return status;
  }

  private void noteState(ConsumerGroupDescription d) {
    GroupState s = d.groupState();
    if (s == GroupState.EMPTY) {
      err.println("Consumer group '" + d.groupId() + "' has no active members.");
    } else if (s == GroupState.PREPARING_REBALANCE || s == GroupState.COMPLETING_REBALANCE
        || s == GroupState.ASSIGNING || s == GroupState.RECONCILING) {
      err.println("Warning: consumer group '" + d.groupId() + "' is rebalancing.");
    }
  }

  private TextTable offsets(ConsumerGroupDescription d) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(d.groupId()).partitionsToOffsetAndMetadata().get();
    Map<TopicPartition, MemberDescription> owners = new HashMap<>();
    for (MemberDescription m : d.members()) {
      m.assignment().topicPartitions().forEach(tp -> owners.put(tp, m));
    }
    Map<TopicPartition, Boolean> partitions = new TreeMap<>(Comparator.comparing(TopicPartition::topic)
        .thenComparingInt(TopicPartition::partition));
    committed.keySet().forEach(tp -> partitions.put(tp, true));
    owners.keySet().forEach(tp -> partitions.put(tp, true));
    Map<TopicPartition, Long> logEnds = logEndOffsets(partitions.keySet());

    TextTable table = verbose
        ? new TextTable("GROUP", "TOPIC", "PARTITION", "LEADER-EPOCH", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG",
            "CONSUMER-ID", "HOST", "CLIENT-ID")
        : new TextTable("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID",
            "HOST", "CLIENT-ID");
    for (TopicPartition tp : partitions.keySet()) {
      OffsetAndMetadata c = committed.get(tp);
      Long end = logEnds.get(tp);
      Long lag = c != null && end != null ? Math.max(0, end - c.offset()) : null;
      MemberDescription owner = owners.get(tp);
      List<Object> row = new ArrayList<>(List.of(d.groupId(), tp.topic(), tp.partition()));
      if (verbose) {
        row.add(c == null ? null : c.leaderEpoch().orElse(null));
      }
      row.add(c == null ? null : c.offset());
      row.add(end);
      row.add(lag);
      row.add(owner == null ? null : owner.consumerId());
      row.add(owner == null ? null : owner.host());
      row.add(owner == null ? null : owner.clientId());
      table.row(row.toArray());
    }
    for (MemberDescription m : d.members()) {
      if (m.assignment().topicPartitions().isEmpty()) {
        List<Object> row = new ArrayList<>(java.util.Arrays.asList(d.groupId(), null, null));
        if (verbose) {
          row.add(null);
        }
        row.addAll(java.util.Arrays.asList(null, null, null, m.consumerId(), m.host(), m.clientId()));
        table.row(row.toArray());
      }
    }
    return table;
  }

  /** The log end offset of each partition; a partition whose end cannot be read is left out (printed as -). */
  private Map<TopicPartition, Long> logEndOffsets(Iterable<TopicPartition> partitions) throws InterruptedException {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
    Map<TopicPartition, Long> ends = new HashMap<>();
    if (request.isEmpty()) {
      return ends;
    }
    ListOffsetsResult listed = admin.listOffsets(request);
    for (TopicPartition tp : request.keySet()) {
      try {
        ends.put(tp, listed.partitionResult(tp).get().offset());
      } catch (ExecutionException e) {
        // Deleted topic or partition without a leader: the column shows "-".
      }
    }
    return ends;
  }

  private TextTable members(ConsumerGroupDescription d) {
    boolean instanceIds = d.members().stream().anyMatch(m -> m.groupInstanceId().isPresent());
    List<String> headers = new ArrayList<>(List.of("GROUP", "CONSUMER-ID"));
    if (instanceIds) {
      headers.add("GROUP-INSTANCE-ID");
    }
    headers.addAll(List.of("HOST", "CLIENT-ID", "#PARTITIONS"));
    if (verbose) {
      headers.add("ASSIGNMENT");
    }
    TextTable table = new TextTable(headers.toArray(String[]::new));
    List<MemberDescription> sorted = new ArrayList<>(d.members());
    sorted.sort(Comparator.comparing(MemberDescription::consumerId));
    for (MemberDescription m : sorted) {
      List<Object> row = new ArrayList<>(List.of(d.groupId(), m.consumerId()));
      if (instanceIds) {
        row.add(m.groupInstanceId().orElse(null));
      }
      row.addAll(List.of(m.host(), m.clientId(), m.assignment().topicPartitions().size()));
      if (verbose) {
        row.add(assignment(m));
      }
      table.row(row.toArray());
    }
    return table;
  }

  /** {@code topic-a:0,1;topic-b:2}, as Kafka prints it; {@code -} when nothing is assigned. */
  private static String assignment(MemberDescription m) {
    if (m.assignment().topicPartitions().isEmpty()) {
      return "-";
    }
    Map<String, List<Integer>> byTopic = new TreeMap<>();
    m.assignment().topicPartitions().forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
    return byTopic.entrySet().stream()
        .map(e -> e.getKey() + ":" + e.getValue().stream().sorted().map(String::valueOf).collect(Collectors.joining(",")))
        .collect(Collectors.joining(";"));
  }

  private TextTable state(ConsumerGroupDescription d) {
    Node c = d.coordinator();
    String coordinator = c == null ? null : c.host() + ":" + c.port() + "  (" + c.idString() + ")";
    String strategy = d.partitionAssignor() == null || d.partitionAssignor().isEmpty() ? null : d.partitionAssignor();
    return new TextTable("GROUP", "COORDINATOR (ID)", "ASSIGNMENT-STRATEGY", "STATE", "#MEMBERS")
        .row(d.groupId(), coordinator, strategy, d.groupState(), d.members().size());
  }
}
