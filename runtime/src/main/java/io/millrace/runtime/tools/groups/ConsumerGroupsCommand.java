package io.millrace.runtime.tools.groups;

import io.millrace.runtime.tools.AdminConnection;
import io.millrace.runtime.tools.BrokerOptions;
import io.millrace.runtime.tools.ClientProperties;
import io.millrace.runtime.tools.KafkaFailures;
import io.millrace.runtime.tools.TextTable;
import io.millrace.runtime.tools.ToolCommand;
import io.millrace.runtime.tools.ToolException;
import io.millrace.runtime.tools.ToolVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.KafkaFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code millrace consumer-groups}: Kafka's {@code kafka-consumer-groups.sh}. Lists, describes
 * (offsets and lag, members, state), deletes consumer groups, and resets or deletes their
 * committed offsets.
 */
@Command(name = "consumer-groups", mixinStandardHelpOptions = true, versionProvider = ToolVersion.class,
    sortOptions = false, abbreviateSynopsis = true,
    description = "List, describe and delete consumer groups, and reset their offsets (the flags of Kafka's "
        + "kafka-consumer-groups.sh).")
public final class ConsumerGroupsCommand extends ToolCommand {

  @Mixin BrokerOptions broker;

  @Option(names = "--command-config", paramLabel = "FILE", description = "Admin client properties.")
  Path commandConfig;

  @Option(names = "--list", description = "List all consumer groups.") boolean list;
  @Option(names = "--describe", description = "Describe groups: offsets and lag (default), --members or --state.")
  boolean describe;
  @Option(names = "--delete", description = "Delete groups (they must have no active members).") boolean delete;
  @Option(names = "--reset-offsets", description = "Reset the committed offsets of inactive groups.") boolean resetOffsets;
  @Option(names = "--delete-offsets", description = "Delete committed offsets of one group for --topic.") boolean deleteOffsets;

  @Option(names = "--group", paramLabel = "GROUP", description = "A consumer group (repeatable).")
  List<String> groups = new ArrayList<>();

  @Option(names = "--all-groups", description = "Apply to all consumer groups.") boolean allGroups;

  @Option(names = "--topic", paramLabel = "TOPIC[:P,P...]",
      description = "A topic (repeatable); with --reset-offsets, TOPIC:0,1 names partitions.")
  List<String> topics = new ArrayList<>();

  @Option(names = "--all-topics", description = "With --reset-offsets: every topic the group has offsets for.")
  boolean allTopics;

  @Option(names = "--offsets", description = "With --describe: offsets and lag per partition (the default).") boolean offsets;
  @Option(names = "--members", description = "With --describe: the members.") boolean members;

  @Option(names = "--state", arity = "0..1", fallbackValue = "", paramLabel = "STATES",
      description = "With --describe: the group's state. With --list: show states, or only groups in these "
          + "comma-separated states (stable, empty, preparingrebalance, completingrebalance, dead).")
  String state;

  @Option(names = "--type", arity = "0..1", fallbackValue = "", paramLabel = "TYPES",
      description = "With --list: show group types, or only groups of these types (classic, consumer).")
  String type;

  @Option(names = "--verbose", description = "With --describe: more columns.") boolean verbose;

  @Option(names = "--timeout", paramLabel = "MS", description = "How long to wait for the broker (default: ${DEFAULT-VALUE}).")
  long timeoutMs = 30_000;

  @Option(names = "--to-earliest", description = "Reset to the earliest offset.") boolean toEarliest;
  @Option(names = "--to-latest", description = "Reset to the latest offset.") boolean toLatest;
  @Option(names = "--to-current", description = "Reset to the current offset.") boolean toCurrent;
  @Option(names = "--to-offset", paramLabel = "OFFSET", description = "Reset to this offset.") Long toOffset;
  @Option(names = "--shift-by", paramLabel = "N", description = "Move the current offset by N (may be negative).") Long shiftBy;
  @Option(names = "--to-datetime", paramLabel = "DATETIME",
      description = "Reset to the first offset at or after this time: YYYY-MM-DDThh:mm:ss.sss, optionally with a zone (Z, +01:00).")
  String toDatetime;
  @Option(names = "--by-duration", paramLabel = "DURATION", description = "Reset to this long ago: PnDTnHnMnS.")
  String byDuration;
  @Option(names = "--from-file", paramLabel = "CSV", description = "Reset to the offsets of a CSV file (as --export writes).")
  Path fromFile;
  @Option(names = "--dry-run", description = "Show the new offsets without changing them (the default).") boolean dryRun;
  @Option(names = "--execute", description = "Change the offsets.") boolean execute;
  @Option(names = "--export", description = "Print the new offsets as CSV (for --from-file).") boolean export;

  @Override
  protected String bootstrapServersForMessages() {
    return broker.bootstrapServers();
  }

  @Override
  protected int run() throws Exception {
    checkArguments();
    String servers = broker.bootstrapServers(err());
    Map<String, String> overrides = new java.util.LinkedHashMap<>();
    overrides.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeoutMs));
    overrides.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.min(timeoutMs, 15_000)));
    overrides.putAll(ClientProperties.load(commandConfig));
    try (Admin admin = AdminConnection.open(servers, "millrace-consumer-groups", overrides)) {
      if (list) {
        return list(admin);
      }
      List<String> targets = allGroups ? groupIds(admin, ListGroupsOptions.forConsumerGroups()) : groups;
      if (describe) {
        return new GroupDescriber(admin, out(), err(), verbose).describe(targets, members ? GroupDescriber.View.MEMBERS
            : state != null ? GroupDescriber.View.STATE : GroupDescriber.View.OFFSETS);
      } else if (delete) {
        return delete(admin, targets);
      } else if (deleteOffsets) {
        return new OffsetDeletion(admin, out(), err()).delete(targets.get(0), topics);
      }
      OffsetReset.Spec spec;
      try {
        spec = resetSpec();
      } catch (IllegalArgumentException e) {
        throw usageError(e.getMessage());
      }
      OffsetReset reset = new OffsetReset(admin, out(), err(), spec, allTopics, topics, execute, export);
      return reset.run(targets);
    }
  }

  private OffsetReset.Spec resetSpec() {
    if (toEarliest) {
      return new OffsetReset.Spec.Earliest();
    } else if (toLatest) {
      return new OffsetReset.Spec.Latest();
    } else if (toCurrent) {
      return new OffsetReset.Spec.Current();
    } else if (toOffset != null) {
      return new OffsetReset.Spec.ToOffset(toOffset);
    } else if (shiftBy != null) {
      return new OffsetReset.Spec.ShiftBy(shiftBy);
    } else if (toDatetime != null) {
      return new OffsetReset.Spec.AtTime(OffsetReset.parseDateTime(toDatetime));
    } else if (byDuration != null) {
      return new OffsetReset.Spec.AtTime(OffsetReset.timeAgo(byDuration));
    }
    return new OffsetReset.Spec.FromFile(OffsetsCsv.read(fromFile));
  }

  private void checkArguments() {
    int actions = count(list, describe, delete, resetOffsets, deleteOffsets);
    if (actions != 1) {
      throw usageError("Command must include exactly one action: --list, --describe, --delete, --reset-offsets, "
          + "--delete-offsets");
    }
    if ((describe || delete || resetOffsets) && groups.isEmpty() && !allGroups) {
      throw usageError("Option --" + (describe ? "describe" : delete ? "delete" : "reset-offsets")
          + " takes one of these options: --all-groups, --group");
    }
    if (!groups.isEmpty() && allGroups) {
      throw usageError("Options --group and --all-groups cannot be used together");
    }
    if (count(members, offsets, state != null && describe) > 1) {
      throw usageError("Option --describe takes at most one of these options: --members, --offsets, --state");
    }
    onlyWith(members || offsets || verbose, "--members, --offsets and --verbose", describe);
    onlyWith(state != null, "--state", describe || list);
    onlyWith(type != null, "--type", list);
    if (deleteOffsets && (groups.size() != 1 || allGroups || topics.isEmpty())) {
      throw usageError("Option --delete-offsets takes exactly one --group and at least one --topic");
    }
    int specs = count(toEarliest, toLatest, toCurrent, toOffset != null, shiftBy != null, toDatetime != null,
        byDuration != null, fromFile != null);
    onlyWith(specs > 0 || dryRun || execute || export || allTopics, "the --reset-offsets options", resetOffsets);
    onlyWith(!topics.isEmpty(), "--topic", resetOffsets || deleteOffsets);
    if (resetOffsets) {
      if (specs != 1) {
        throw usageError("Option --reset-offsets takes exactly one of: --to-datetime, --by-duration, --to-earliest, "
            + "--to-latest, --shift-by, --from-file, --to-current, --to-offset");
      }
      if (dryRun && execute) {
        throw usageError("Options --dry-run and --execute cannot be used together");
      }
      if (fromFile == null && topics.isEmpty() == !allTopics) {
        throw usageError("Option --reset-offsets takes exactly one of --topic or --all-topics (unless --from-file)");
      }
      if (!dryRun && !execute && !export) {
        err().println("WARN: No action will be performed as the --execute option is missing. "
            + "Add --dry-run to keep this behaviour without the warning.");
      }
    }
  }

  private void onlyWith(boolean present, String option, boolean allowed) {
    if (present && !allowed) {
      throw usageError(option + " cannot be used with this action");
    }
  }

  private static int count(boolean... flags) {
    int n = 0;
    for (boolean f : flags) {
      n += f ? 1 : 0;
    }
    return n;
  }

  private int list(Admin admin) throws Exception {
    ListGroupsOptions options = ListGroupsOptions.forConsumerGroups();
    Set<GroupState> states = parseStates(state);
    Set<GroupType> types = parseTypes(type);
    options.inGroupStates(states);
    if (!types.isEmpty()) {
      options.withTypes(types);
    }
    List<GroupListing> listings = new ArrayList<>(admin.listGroups(options).all().get());
    listings.sort(Comparator.comparing(GroupListing::groupId));
    if (state == null && type == null) {
      listings.forEach(l -> out().println(l.groupId()));
      return 0;
    }
    List<String> headers = new ArrayList<>(List.of("GROUP"));
    if (type != null) {
      headers.add("TYPE");
    }
    if (state != null) {
      headers.add("STATE");
    }
    TextTable table = new TextTable(headers.toArray(String[]::new));
    for (GroupListing l : listings) {
      List<Object> row = new ArrayList<>(List.of(l.groupId()));
      if (type != null) {
        row.add(l.type().orElse(GroupType.UNKNOWN));
      }
      if (state != null) {
        row.add(l.groupState().orElse(GroupState.UNKNOWN));
      }
      table.row(row.toArray());
    }
    table.print(out());
    return 0;
  }

  private Set<GroupState> parseStates(String text) {
    Set<GroupState> states = new LinkedHashSet<>();
    for (String s : text == null ? new String[0] : text.split(",")) {
      if (s.isBlank()) {
        continue;
      }
      GroupState parsed = GroupState.parse(s.trim().replace("-", "").replace("_", ""));
      if (parsed == GroupState.UNKNOWN) {
        throw usageError("unknown group state '" + s.trim() + "': use stable, empty, preparingrebalance, "
            + "completingrebalance or dead");
      }
      states.add(parsed);
    }
    return states;
  }

  private Set<GroupType> parseTypes(String text) {
    Set<GroupType> types = new LinkedHashSet<>();
    for (String s : text == null ? new String[0] : text.split(",")) {
      if (s.isBlank()) {
        continue;
      }
      GroupType parsed = GroupType.parse(s.trim().toLowerCase(Locale.ROOT));
      if (parsed == GroupType.UNKNOWN) {
        throw usageError("unknown group type '" + s.trim() + "': use classic or consumer");
      }
      types.add(parsed);
    }
    return types;
  }

  static List<String> groupIds(Admin admin, ListGroupsOptions options) throws Exception {
    return admin.listGroups(options).all().get().stream().map(GroupListing::groupId).sorted().toList();
  }

  private int delete(Admin admin, List<String> targets) throws InterruptedException {
    if (targets.isEmpty()) {
      out().println("No consumer groups to delete.");
      return 0;
    }
    Map<String, KafkaFuture<Void>> results = admin.deleteConsumerGroups(targets).deletedGroups();
    List<String> deleted = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (String g : targets) {
      try {
        results.get(g).get();
        deleted.add("'" + g + "'");
      } catch (ExecutionException e) {
        failures.add("* Group '" + g + "' could not be deleted: " + KafkaFailures.describe(e, broker.bootstrapServers()));
      }
    }
    if (!deleted.isEmpty()) {
      out().println("Deletion of requested consumer groups (" + String.join(", ", deleted) + ") was successful.");
    }
    if (failures.isEmpty()) {
      return 0;
    }
    err().println("Error: deletion of some consumer groups failed:");
    failures.forEach(err()::println);
    return 1;
  }

  static ToolException noSuchGroup(String group) {
    return new ToolException("consumer group '" + group + "' does not exist");
  }
}
