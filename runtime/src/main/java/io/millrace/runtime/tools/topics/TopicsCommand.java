package io.millrace.runtime.tools.topics;

import io.millrace.runtime.tools.AdminConnection;
import io.millrace.runtime.tools.BrokerOptions;
import io.millrace.runtime.tools.ClientProperties;
import io.millrace.runtime.tools.KafkaFailures;
import io.millrace.runtime.tools.ToolCommand;
import io.millrace.runtime.tools.ToolException;
import io.millrace.runtime.tools.ToolVersion;
import io.millrace.runtime.tools.TopicPattern;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DeleteTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.internals.Topic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code millrace topics}: Kafka's {@code kafka-topics.sh} with the same flags. Exactly one action
 * ({@code --create}, {@code --list}, {@code --describe}, {@code --alter}, {@code --delete});
 * {@code --topic} is a name for {@code --create} and a regular expression for the others.
 */
@Command(name = "topics", mixinStandardHelpOptions = true, abbreviateSynopsis = true, versionProvider = ToolVersion.class, sortOptions = false,
    description = "Create, delete, describe, or change a topic (the flags of Kafka's kafka-topics.sh).")
public final class TopicsCommand extends ToolCommand {

  @Mixin BrokerOptions broker;

  @Option(names = "--command-config", paramLabel = "FILE", description = "Admin client properties.")
  Path commandConfig;

  @Option(names = "--create", description = "Create a new topic.") boolean create;
  @Option(names = "--list", description = "List all available topics.") boolean list;
  @Option(names = "--describe", description = "List details for the given topics.") boolean describe;
  @Option(names = "--alter", description = "Alter the number of partitions.") boolean alter;
  @Option(names = "--delete", description = "Delete a topic.") boolean delete;

  @Option(names = "--topic", paramLabel = "TOPIC",
      description = "The topic to create, alter, describe or delete; a regular expression except with --create.")
  String topic;

  @Option(names = "--topic-id", paramLabel = "ID", description = "The topic id to describe.")
  String topicId;

  @Option(names = "--partitions", paramLabel = "N",
      description = "Partitions of the topic being created (default: the broker's num.partitions) or altered.")
  Integer partitions;

  @Option(names = "--replication-factor", paramLabel = "N",
      description = "Replicas of each partition (default: the broker's default.replication.factor).")
  Integer replicationFactor;

  @Option(names = "--replica-assignment", paramLabel = "B1:B2,B1:B2,...",
      description = "Broker ids of the replicas of each partition, partitions separated by commas.")
  String replicaAssignment;

  @Option(names = "--config", paramLabel = "NAME=VALUE",
      description = "A topic config for the topic being created (repeatable). To change configs later: millrace configs.")
  List<String> configs = new ArrayList<>();

  @Option(names = "--if-exists", description = "With --alter, --delete or --describe: do nothing if no topic matches.")
  boolean ifExists;

  @Option(names = "--if-not-exists", description = "With --create: succeed if the topic exists already.")
  boolean ifNotExists;

  @Option(names = "--exclude-internal", description = "Leave internal topics out of --list and --describe.")
  boolean excludeInternal;

  @Option(names = "--under-replicated-partitions", description = "With --describe: only under-replicated partitions.")
  boolean underReplicated;

  @Option(names = "--unavailable-partitions", description = "With --describe: only partitions without a live leader.")
  boolean unavailable;

  @Option(names = "--under-min-isr-partitions", description = "With --describe: only partitions whose ISR is below min.insync.replicas.")
  boolean underMinIsr;

  @Option(names = "--at-min-isr-partitions", description = "With --describe: only partitions whose ISR equals min.insync.replicas.")
  boolean atMinIsr;

  @Option(names = "--topics-with-overrides", description = "With --describe: only topics that override configs.")
  boolean topicsWithOverrides;

  @Option(names = "--partition-size-limit-per-response", paramLabel = "N",
      description = "With --describe: at most N partitions per DescribeTopicPartitions response (default: 2000).")
  Integer partitionSizeLimitPerResponse;

  @Override
  protected int run() throws Exception {
    checkArguments();
    String servers = broker.bootstrapServers(err());
    try (Admin admin = AdminConnection.open(servers, "millrace-topics", ClientProperties.load(commandConfig))) {
      if (create) {
        return create(admin);
      } else if (list) {
        matchingTopics(admin, Optional.ofNullable(topic)).forEach(out()::println);
        return 0;
      } else if (describe) {
        return new TopicDescriber(admin, out(), describeFilter(), partitionSizeLimitPerResponse)
            .describe(describedTopics(admin));
      } else if (alter) {
        return alter(admin);
      }
      return delete(admin);
    }
  }

  @Override
  protected String bootstrapServersForMessages() {
    return broker.bootstrapServers();
  }

  private void checkArguments() {
    int actions = (create ? 1 : 0) + (list ? 1 : 0) + (describe ? 1 : 0) + (alter ? 1 : 0) + (delete ? 1 : 0);
    if (actions != 1) {
      throw usageError("Command must include exactly one action: --list, --describe, --create, --alter or --delete");
    }
    if (topic == null && topicId == null && (create || alter || delete)) {
      throw usageError("Missing required argument \"[topic]\"");
    }
    if (alter && !configs.isEmpty()) {
      throw usageError("--config cannot be used with --alter: change topic configs with "
          + "millrace configs --alter --entity-type topics --entity-name TOPIC --add-config K=V");
    }
    if (alter && partitions == null) {
      throw usageError("Missing required argument \"[partitions]\" (with --alter)");
    }
    onlyWith(!configs.isEmpty(), "--config", create);
    onlyWith(partitions != null, "--partitions", create || alter);
    onlyWith(replicationFactor != null, "--replication-factor", create);
    onlyWith(replicaAssignment != null, "--replica-assignment", create || alter);
    if (create && replicaAssignment != null && (partitions != null || replicationFactor != null)) {
      throw usageError("Option \"[replica-assignment]\" can't be used with \"[partitions]\" or \"[replication-factor]\"");
    }
    boolean reports = underReplicated || unavailable || underMinIsr || atMinIsr;
    onlyWith(reports || topicsWithOverrides, "the partition report options", describe);
    if (reports && topicsWithOverrides) {
      throw usageError("--topics-with-overrides cannot be combined with the partition report options");
    }
    onlyWith(ifExists, "--if-exists", alter || delete || describe);
    onlyWith(ifNotExists, "--if-not-exists", create);
    onlyWith(excludeInternal, "--exclude-internal", list || describe);
    onlyWith(topicId != null, "--topic-id", describe);
    onlyWith(partitionSizeLimitPerResponse != null, "--partition-size-limit-per-response", describe);
    if (partitionSizeLimitPerResponse != null && partitionSizeLimitPerResponse < 1) {
      throw usageError("--partition-size-limit-per-response must be at least 1");
    }
  }

  private void onlyWith(boolean present, String option, boolean allowed) {
    if (present && !allowed) {
      throw usageError(option + " cannot be used with this action");
    }
  }

  private int create(Admin admin) throws Exception {
    try {
      Topic.validate(topic);
    } catch (InvalidTopicException e) {
      throw new ToolException("invalid topic name '" + topic + "': " + e.getMessage());
    }
    if (replicationFactor != null && (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE)) {
      throw new ToolException("the replication factor must be between 1 and " + Short.MAX_VALUE + " inclusive");
    }
    if (partitions != null && partitions < 1) {
      throw new ToolException("the partitions must be greater than 0");
    }
    if (Topic.hasCollisionChars(topic)) {
      out().println("WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') "
          + "could collide. To avoid issues it is best to use either, but not both.");
    }
    NewTopic newTopic = replicaAssignment != null
        ? new NewTopic(topic, parseReplicaAssignment(replicaAssignment))
        : new NewTopic(topic, Optional.ofNullable(partitions), Optional.ofNullable(replicationFactor).map(Integer::shortValue));
    newTopic.configs(topicConfigs());
    try {
      admin.createTopics(List.of(newTopic), new CreateTopicsOptions().retryOnQuotaViolation(false)).all().get();
      out().println("Created topic " + topic + ".");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        if (ifNotExists) {
          return 0;
        }
        throw new ToolException("topic '" + topic + "' already exists (--if-not-exists accepts that)");
      }
      throw e;
    }
    return 0;
  }

  private Map<String, String> topicConfigs() {
    try {
      Map<String, String> parsed = ClientProperties.parse(configs, "--config");
      Map<String, String> trimmed = new LinkedHashMap<>();
      parsed.forEach((k, v) -> trimmed.put(k, v.trim()));
      return trimmed;
    } catch (IllegalArgumentException e) {
      throw usageError(e.getMessage());
    }
  }

  private Map<Integer, List<Integer>> parseReplicaAssignment(String text) {
    Map<Integer, List<Integer>> assignment = new LinkedHashMap<>();
    String[] parts = text.split(",");
    for (int p = 0; p < parts.length; p++) {
      List<Integer> brokers = new ArrayList<>();
      for (String id : parts[p].split(":")) {
        try {
          brokers.add(Integer.parseInt(id.trim()));
        } catch (NumberFormatException e) {
          throw usageError("invalid --replica-assignment '" + text + "': '" + id.trim() + "' is not a broker id");
        }
      }
      if (new TreeSet<>(brokers).size() != brokers.size()) {
        throw usageError("invalid --replica-assignment: partition " + p + " lists a broker twice: " + brokers);
      }
      if (p > 0 && brokers.size() != assignment.get(0).size()) {
        throw usageError("invalid --replica-assignment: partition " + p + " has a different replication factor: " + brokers);
      }
      assignment.put(p, brokers);
    }
    return assignment;
  }

  private int alter(Admin admin) throws Exception {
    List<String> topics = requireMatches(matchingTopics(admin, Optional.of(topic)));
    if (topics.isEmpty()) {
      return 0;
    }
    Map<String, NewPartitions> changes = new LinkedHashMap<>();
    for (String t : topics) {
      if (replicaAssignment == null) {
        changes.put(t, NewPartitions.increaseTo(partitions));
      } else {
        int existing = admin.describeTopics(List.of(t)).allTopicNames().get().get(t).partitions().size();
        List<List<Integer>> added = new ArrayList<>(parseReplicaAssignment(replicaAssignment).values());
        changes.put(t, NewPartitions.increaseTo(partitions, added.subList(Math.min(existing, added.size()), added.size())));
      }
    }
    Map<String, KafkaFuture<Void>> results = admin.createPartitions(changes,
        new CreatePartitionsOptions().retryOnQuotaViolation(false)).values();
    return report(topics, results, t -> "Topic " + t + " now has " + partitions + " partitions.", "alter");
  }

  private int delete(Admin admin) throws Exception {
    List<String> topics = new ArrayList<>();
    for (String t : matchingTopics(admin, Optional.of(topic))) {
      // A regex never sweeps internal topics away; naming one exactly still reaches the broker.
      if (!Topic.isInternal(t) || t.equals(topic)) {
        topics.add(t);
      }
    }
    requireMatches(topics);
    if (topics.isEmpty()) {
      return 0;
    }
    Map<String, KafkaFuture<Void>> results = admin.deleteTopics(topics,
        new DeleteTopicsOptions().retryOnQuotaViolation(false)).topicNameValues();
    return report(topics, results, t -> "Deleted topic " + t + ".", "delete");
  }

  /** One line per topic, in the order asked; status 1 if any failed. */
  private int report(List<String> topics, Map<String, KafkaFuture<Void>> results, Function<String, String> success,
      String verb) throws InterruptedException {
    int failures = 0;
    for (String t : topics) {
      try {
        results.get(t).get();
        out().println(success.apply(t));
      } catch (ExecutionException failure) {
        failures++;
        err().println("Error: cannot " + verb + " topic " + t + ": "
            + KafkaFailures.describe(failure, broker.bootstrapServers()));
      }
    }
    return failures == 0 ? 0 : 1;
  }

  private List<String> describedTopics(Admin admin) throws Exception {
    if (topicId != null) {
      org.apache.kafka.common.Uuid id;
      try {
        id = org.apache.kafka.common.Uuid.fromString(topicId);
      } catch (IllegalArgumentException e) {
        throw usageError("invalid --topic-id '" + topicId + "': " + e.getMessage());
      }
      List<String> named = new ArrayList<>();
      admin.listTopics(new ListTopicsOptions().listInternal(true)).listings().get().stream()
          .filter(l -> l.topicId().equals(id)).forEach(l -> named.add(l.name()));
      if (named.isEmpty() && !ifExists) {
        throw new ToolException("no topic has the id " + topicId);
      }
      return named;
    }
    return requireMatches(matchingTopics(admin, Optional.ofNullable(topic)));
  }

  private List<String> requireMatches(List<String> topics) {
    if (topics.isEmpty() && topic != null && !ifExists) {
      throw new ToolException("topic '" + topic + "' does not exist (--if-exists accepts that)");
    }
    return topics;
  }

  /** Topic names, sorted, that the --topic expression matches (all of them without one). */
  private List<String> matchingTopics(Admin admin, Optional<String> expression) throws Exception {
    Optional<TopicPattern> pattern = expression.map(TopicPattern::compile);
    Set<String> all = new TreeSet<>(admin.listTopics(new ListTopicsOptions().listInternal(!excludeInternal)).names().get());
    List<String> matching = new ArrayList<>();
    for (String t : all) {
      if (pattern.map(p -> p.matches(t)).orElse(true) && !(excludeInternal && Topic.isInternal(t))) {
        matching.add(t);
      }
    }
    return matching;
  }

  private TopicDescriber.Filter describeFilter() {
    return new TopicDescriber.Filter(underReplicated, unavailable, underMinIsr, atMinIsr, topicsWithOverrides);
  }
}
