package io.millrace.runtime.tools.configs;

import io.millrace.runtime.tools.AdminConnection;
import io.millrace.runtime.tools.BrokerOptions;
import io.millrace.runtime.tools.ClientProperties;
import io.millrace.runtime.tools.KafkaFailures;
import io.millrace.runtime.tools.ToolCommand;
import io.millrace.runtime.tools.ToolException;
import io.millrace.runtime.tools.ToolVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code millrace configs}: Kafka's {@code kafka-configs.sh} for topics and brokers. Describes
 * the configs a resource overrides (or all of them with {@code --all}) with their sources and
 * synonyms, and changes them with {@code --add-config} / {@code --delete-config} through
 * IncrementalAlterConfigs.
 */
@Command(name = "configs", mixinStandardHelpOptions = true, versionProvider = ToolVersion.class, sortOptions = false,
    abbreviateSynopsis = true,
    description = "Describe and change the configs of topics and brokers (the flags of Kafka's kafka-configs.sh).")
public final class ConfigsCommand extends ToolCommand {

  @Mixin BrokerOptions broker;

  @Option(names = "--command-config", paramLabel = "FILE", description = "Admin client properties.")
  Path commandConfig;

  @Option(names = "--describe", description = "Show the configs of the entity.") boolean describe;
  @Option(names = "--alter", description = "Change the configs of the entity.") boolean alter;

  @Option(names = "--entity-type", paramLabel = "TYPE", description = "topics or brokers.")
  String entityType;

  @Option(names = "--entity-name", paramLabel = "NAME", description = "The topic name or broker id.")
  String entityName;

  @Option(names = "--entity-default", description = "The cluster-wide defaults of brokers.")
  boolean entityDefault;

  @Option(names = "--topic", paramLabel = "TOPIC", description = "Short for --entity-type topics --entity-name TOPIC.")
  String topic;

  @Option(names = "--broker", paramLabel = "ID", description = "Short for --entity-type brokers --entity-name ID.")
  String brokerId;

  @Option(names = "--broker-defaults", description = "Short for --entity-type brokers --entity-default.")
  boolean brokerDefaults;

  @Option(names = "--all", description = "With --describe: every config, not only the overridden ones.")
  boolean all;

  @Option(names = "--add-config", paramLabel = "K1=V1,K2=[A,B],...",
      description = "Configs to set; square brackets group values that contain commas.")
  String addConfig;

  @Option(names = "--add-config-file", paramLabel = "FILE", description = "A properties file of configs to set.")
  Path addConfigFile;

  @Option(names = "--delete-config", paramLabel = "K1,K2", description = "Configs to remove (back to their defaults).")
  String deleteConfig;

  @Override
  protected String bootstrapServersForMessages() {
    return broker.bootstrapServers();
  }

  @Override
  protected int run() throws Exception {
    Entity entity = entity();
    if (describe == alter) {
      throw usageError("Command must include exactly one action: --describe, --alter");
    }
    if (all && !describe) {
      throw usageError("--all can only be used with --describe");
    }
    if (describe && (addConfig != null || addConfigFile != null || deleteConfig != null)) {
      throw usageError("--add-config, --add-config-file and --delete-config can only be used with --alter");
    }
    Map<String, String> additions = new LinkedHashMap<>();
    List<String> deletions = new ArrayList<>();
    if (alter) {
      if (entity.name == null) {
        throw usageError("--alter needs an entity: --entity-name (or --topic / --broker) or --entity-default");
      }
      try {
        additions.putAll(ClientProperties.load(addConfigFile));
        additions.putAll(ConfigAssignments.parse(addConfig));
        deletions.addAll(ConfigAssignments.names(deleteConfig));
      } catch (IllegalArgumentException e) {
        throw usageError(e.getMessage());
      }
      if (additions.isEmpty() && deletions.isEmpty()) {
        throw usageError("--alter needs --add-config, --add-config-file or --delete-config");
      }
      Set<String> both = new TreeSet<>(additions.keySet());
      both.retainAll(deletions);
      if (!both.isEmpty()) {
        throw usageError("configs both added and deleted: " + String.join(",", both));
      }
    }
    String servers = broker.bootstrapServers(err());
    try (Admin admin = AdminConnection.open(servers, "millrace-configs", ClientProperties.load(commandConfig))) {
      return describe ? describe(admin, entity) : alter(admin, entity, additions, deletions);
    }
  }

  /** The entity named on the command line; a null name means every entity of the type (describe only). */
  private record Entity(ConfigResource.Type type, String name) {
    String label() {
      return type == ConfigResource.Type.TOPIC ? "topic" : "broker";
    }
  }

  private Entity entity() {
    int shorthands = (topic != null ? 1 : 0) + (brokerId != null ? 1 : 0) + (brokerDefaults ? 1 : 0);
    if (shorthands > 1 || (shorthands == 1 && (entityType != null || entityName != null || entityDefault))) {
      throw usageError("Give the entity once: --entity-type with --entity-name/--entity-default, or --topic, "
          + "--broker or --broker-defaults");
    }
    if (topic != null) {
      return new Entity(ConfigResource.Type.TOPIC, topic);
    } else if (brokerId != null) {
      return new Entity(ConfigResource.Type.BROKER, checkedBrokerId(brokerId));
    } else if (brokerDefaults) {
      return new Entity(ConfigResource.Type.BROKER, "");
    }
    if (entityType == null) {
      throw usageError("Missing required argument: --entity-type (or --topic / --broker / --broker-defaults)");
    }
    if (entityName != null && entityDefault) {
      throw usageError("--entity-name and --entity-default cannot be used together");
    }
    switch (entityType.trim()) {
      case "topics":
        if (entityDefault) {
          throw usageError("--entity-default applies to brokers, not topics");
        }
        return new Entity(ConfigResource.Type.TOPIC, entityName);
      case "brokers":
        return new Entity(ConfigResource.Type.BROKER, entityDefault ? "" : entityName == null ? null : checkedBrokerId(entityName));
      case "broker-loggers", "clients", "users", "ips", "client-metrics", "groups":
        throw new ToolException("entity type '" + entityType + "' is not supported: Millrace's configs tool manages "
            + "topics and brokers");
      default:
        throw usageError("invalid --entity-type '" + entityType + "': use topics or brokers");
    }
  }

  private String checkedBrokerId(String id) {
    try {
      Integer.parseInt(id.trim());
      return id.trim();
    } catch (NumberFormatException e) {
      throw usageError("invalid broker id '" + id + "': expected a number");
    }
  }

  private int describe(Admin admin, Entity entity) throws Exception {
    List<String> names = new ArrayList<>();
    if (entity.name != null) {
      names.add(entity.name);
    } else if (entity.type == ConfigResource.Type.TOPIC) {
      names.addAll(new TreeSet<>(admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get()));
    } else {
      for (Node n : admin.describeCluster().nodes().get()) {
        names.add(n.idString());
      }
      names.add("");
    }
    for (String name : names) {
      ConfigResource resource = new ConfigResource(entity.type, name);
      Config config;
      try {
        config = admin.describeConfigs(List.of(resource), new DescribeConfigsOptions().includeSynonyms(true))
            .values().get(resource).get();
      } catch (ExecutionException e) {
        throw failure(entity, name, e);
      }
      out().println((all ? "All" : name.isEmpty() ? "Default" : "Dynamic") + " configs for "
          + (name.isEmpty() ? "brokers in the cluster" : entity.label() + " " + name) + " are:");
      for (ConfigEntry e : sorted(config.entries())) {
        if (all || isOverride(e, name.isEmpty())) {
          out().println("  " + e.name() + "=" + (e.isSensitive() ? "null" : e.value()) + " sensitive=" + e.isSensitive()
              + " synonyms={" + e.synonyms().stream()
                  .map(s -> s.source() + ":" + s.name() + "=" + (e.isSensitive() ? "null" : s.value()))
                  .collect(Collectors.joining(", ")) + "}");
        }
      }
    }
    return 0;
  }

  private static boolean isOverride(ConfigEntry e, boolean clusterDefault) {
    return switch (e.source()) {
      case DYNAMIC_TOPIC_CONFIG, DYNAMIC_BROKER_CONFIG -> !clusterDefault;
      case DYNAMIC_DEFAULT_BROKER_CONFIG -> true;
      default -> false;
    };
  }

  private static List<ConfigEntry> sorted(Collection<ConfigEntry> entries) {
    List<ConfigEntry> list = new ArrayList<>(entries);
    list.sort(java.util.Comparator.comparing(ConfigEntry::name));
    return list;
  }

  private int alter(Admin admin, Entity entity, Map<String, String> additions, List<String> deletions) throws Exception {
    ConfigResource resource = new ConfigResource(entity.type, entity.name);
    if (!deletions.isEmpty()) {
      Config current;
      try {
        current = admin.describeConfigs(List.of(resource)).values().get(resource).get();
      } catch (ExecutionException e) {
        throw failure(entity, entity.name, e);
      }
      Set<String> known = current.entries().stream().map(ConfigEntry::name).collect(Collectors.toSet());
      List<String> unknown = deletions.stream().filter(d -> !known.contains(d)).toList();
      if (!unknown.isEmpty()) {
        throw new ToolException("invalid config(s) to delete: " + String.join(",", unknown));
      }
    }
    List<AlterConfigOp> ops = new ArrayList<>();
    additions.forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
    deletions.forEach(k -> ops.add(new AlterConfigOp(new ConfigEntry(k, ""), AlterConfigOp.OpType.DELETE)));
    try {
      admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get();
    } catch (ExecutionException e) {
      throw failure(entity, entity.name, e);
    }
    out().println(entity.name.isEmpty() ? "Completed updating default config for brokers in the cluster."
        : "Completed updating config for " + entity.label() + " " + entity.name + ".");
    return 0;
  }

  private ToolException failure(Entity entity, String name, ExecutionException e) {
    if (KafkaFailures.unwrap(e) instanceof UnknownTopicOrPartitionException && entity.type == ConfigResource.Type.TOPIC) {
      return new ToolException("topic '" + name + "' does not exist");
    }
    return new ToolException((name.isEmpty() ? "broker defaults" : entity.label() + " " + name) + ": "
        + KafkaFailures.describe(e, broker.bootstrapServers()), e);
  }
}
