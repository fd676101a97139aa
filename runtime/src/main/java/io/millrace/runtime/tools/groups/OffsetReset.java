package io.millrace.runtime.tools.groups;

import io.millrace.runtime.tools.KafkaFailures;
import io.millrace.runtime.tools.TextTable;
import io.millrace.runtime.tools.ToolException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * {@code consumer-groups --reset-offsets}: plans new committed offsets for each inactive group
 * (state Empty, or no group yet) and, with {@code --execute}, commits them. Offsets outside the
 * log are moved to its nearest end, with a note. The plan prints as a table, or as CSV with
 * {@code --export}.
 */
final class OffsetReset {

  /** How to compute the new offset of a partition. */
  sealed interface Spec {
    record Earliest() implements Spec {}

    record Latest() implements Spec {}

    record Current() implements Spec {}

    record ToOffset(long offset) implements Spec {}

    record ShiftBy(long delta) implements Spec {}

    record AtTime(long timestampMs) implements Spec {}

    record FromFile(Map<String, Map<TopicPartition, Long>> offsets) implements Spec {}
  }

  private final Admin admin;
  private final PrintStream out;
  private final PrintStream err;
  private final Spec spec;
  private final boolean allTopics;
  private final List<String> topics;
  private final boolean execute;
  private final boolean export;

  OffsetReset(Admin admin, PrintStream out, PrintStream err, Spec spec, boolean allTopics, List<String> topics,
      boolean execute, boolean export) {
    this.admin = admin;
    this.out = out;
    this.err = err;
    this.spec = spec;
    this.allTopics = allTopics;
    this.topics = topics;
    this.execute = execute;
    this.export = export;
  }

  int run(List<String> groups) throws Exception {
    Map<String, Map<TopicPartition, Long>> plans = new LinkedHashMap<>();
    int status = 0;
    for (String group : groups) {
      GroupState state = state(group);
      if (state != GroupState.EMPTY && state != GroupState.DEAD) {
        err.println("Error: assignments can only be reset if the group '" + group + "' is inactive, but the current "
            + "state is " + state + ". Stop its consumers first.");
        status = 1;
        continue;
      }
      Map<TopicPartition, Long> plan = plan(group);
      if (execute && !plan.isEmpty()) {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        plan.forEach((tp, o) -> commits.put(tp, new OffsetAndMetadata(o)));
        admin.alterConsumerGroupOffsets(group, commits).all().get();
      }
      plans.put(group, plan);
    }
    if (export) {
      OffsetsCsv.write(plans, out);
    } else if (!plans.isEmpty()) {
      TextTable table = new TextTable("GROUP", "TOPIC", "PARTITION", "NEW-OFFSET");
      plans.forEach((group, plan) -> plan.forEach((tp, o) -> table.row(group, tp.topic(), tp.partition(), o)));
      out.println();
      table.print(out);
    }
    return status;
  }

  private GroupState state(String group) throws InterruptedException {
    try {
      ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
      return d.groupState();
    } catch (ExecutionException e) {
      if (KafkaFailures.unwrap(e) instanceof GroupIdNotFoundException) {
        return GroupState.DEAD;
      }
      throw new ToolException("cannot describe consumer group '" + group + "': " + KafkaFailures.describe(e, null), e);
    }
  }

  /** The new offset of every partition in scope, sorted by topic and partition. */
  private Map<TopicPartition, Long> plan(String group) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    List<TopicPartition> partitions = partitions(group, committed);
    Map<TopicPartition, Long> earliest = offsets(partitions, OffsetSpec.earliest());
    Map<TopicPartition, Long> latest = offsets(partitions, OffsetSpec.latest());
    Map<TopicPartition, Long> atTime = spec instanceof Spec.AtTime t ? offsets(partitions, OffsetSpec.forTimestamp(t.timestampMs())) : Map.of();
    Map<TopicPartition, Long> plan = new LinkedHashMap<>();
    for (TopicPartition tp : partitions) {
      Long current = committed.containsKey(tp) ? committed.get(tp).offset() : null;
      long target = target(group, tp, current, earliest.get(tp), latest.get(tp), atTime.get(tp));
      plan.put(tp, target);
    }
    return plan;
  }

  private long target(String group, TopicPartition tp, Long current, long earliest, long latest, Long atTime) {
    if (spec instanceof Spec.Earliest) {
      return earliest;
    } else if (spec instanceof Spec.Latest) {
      return latest;
    } else if (spec instanceof Spec.Current) {
      return current != null ? current : latest;
    } else if (spec instanceof Spec.ToOffset o) {
      return clamp(group, tp, o.offset(), earliest, latest);
    } else if (spec instanceof Spec.ShiftBy s) {
      if (current == null) {
        throw new ToolException("cannot shift partition " + tp + " of group '" + group + "': it has no committed offset");
      }
      return clamp(group, tp, current + s.delta(), earliest, latest);
    } else if (spec instanceof Spec.AtTime) {
      return atTime < 0 ? latest : atTime;
    }
    return clamp(group, tp, fileOffsets((Spec.FromFile) spec, group).get(tp), earliest, latest);
  }

  private List<TopicPartition> partitions(String group, Map<TopicPartition, OffsetAndMetadata> committed)
      throws InterruptedException {
    List<TopicPartition> partitions;
    if (spec instanceof Spec.FromFile f && topics.isEmpty() && !allTopics) {
      partitions = new ArrayList<>(fileOffsets(f, group).keySet());
    } else if (allTopics) {
      partitions = new ArrayList<>(committed.keySet());
    } else {
      partitions = TopicPartitions.resolve(admin, topics);
    }
    partitions.sort((a, b) -> a.topic().equals(b.topic()) ? Integer.compare(a.partition(), b.partition())
        : a.topic().compareTo(b.topic()));
    return partitions;
  }

  private static Map<TopicPartition, Long> fileOffsets(Spec.FromFile f, String group) {
    Map<TopicPartition, Long> forGroup = f.offsets().get(group);
    if (forGroup == null) {
      forGroup = f.offsets().get(OffsetsCsv.ANY_GROUP);
    }
    if (forGroup == null) {
      throw new ToolException("the offsets file has no offsets for group '" + group + "'");
    }
    return forGroup;
  }

  private long clamp(String group, TopicPartition tp, Long wanted, long earliest, long latest) {
    if (wanted == null) {
      throw new ToolException("the offsets file has no offset for partition " + tp + " of group '" + group + "'");
    }
    if (wanted < earliest) {
      err.println("Note: new offset " + wanted + " of " + tp + " is before the log start; using " + earliest + ".");
      return earliest;
    }
    if (wanted > latest) {
      err.println("Note: new offset " + wanted + " of " + tp + " is after the log end; using " + latest + ".");
      return latest;
    }
    return wanted;
  }

  private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec offsetSpec)
      throws InterruptedException {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(tp -> request.put(tp, offsetSpec));
    Map<TopicPartition, Long> result = new HashMap<>();
    if (request.isEmpty()) {
      return result;
    }
    ListOffsetsResult listed = admin.listOffsets(request);
    for (TopicPartition tp : partitions) {
      try {
        result.put(tp, listed.partitionResult(tp).get().offset());
      } catch (ExecutionException e) {
        throw new ToolException("cannot read the offsets of " + tp + ": " + KafkaFailures.describe(e, null), e);
      }
    }
    return result;
  }

  /** {@code 2024-03-01T12:00:00.000}, with optional fraction and zone ({@code Z}, {@code +01:00}); local time without one. */
  static long parseDateTime(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant().toEpochMilli();
    } catch (DateTimeParseException zoned) {
      try {
        return LocalDateTime.parse(text).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
      } catch (DateTimeParseException local) {
        throw new IllegalArgumentException("invalid --to-datetime '" + text
            + "': expected YYYY-MM-DDThh:mm:ss.sss, optionally followed by Z or +hh:mm");
      }
    }
  }

  /** Now minus an ISO-8601 duration such as {@code PT1H30M} or {@code P1DT12H}. */
  static long timeAgo(String text) {
    try {
      Duration d = Duration.parse(text);
      if (d.isNegative()) {
        throw new IllegalArgumentException("invalid --by-duration '" + text + "': must not be negative");
      }
      return System.currentTimeMillis() - d.toMillis();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("invalid --by-duration '" + text + "': expected PnDTnHnMnS, e.g. PT1H30M");
    }
  }
}
