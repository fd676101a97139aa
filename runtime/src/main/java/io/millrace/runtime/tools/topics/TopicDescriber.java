package io.millrace.runtime.tools.topics;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * {@code topics --describe}: one line per topic (id, partition count, replication factor, configs
 * that differ from the defaults) and one per partition (leader, replicas, ISR), tab-separated in
 * exactly the layout of Kafka's tool, so scripts that read it keep working:
 *
 * <pre>
 * Topic: orders	TopicId: 3v...	PartitionCount: 3	ReplicationFactor: 1	Configs: cleanup.policy=compact
 * 	Topic: orders	Partition: 0	Leader: 1	Replicas: 1	Isr: 1
 * </pre>
 */
final class TopicDescriber {

  /** The report options: with any of the partition filters, only matching partitions print and no topic lines. */
  record Filter(boolean underReplicated, boolean unavailable, boolean underMinIsr, boolean atMinIsr,
      boolean withOverridesOnly) {

    boolean reportsPartitions() {
      return underReplicated || unavailable || underMinIsr || atMinIsr;
    }
  }

  private final Admin admin;
  private final PrintStream out;
  private final Filter filter;
  private final int partitionsPerResponse;

  TopicDescriber(Admin admin, PrintStream out, Filter filter, Integer partitionsPerResponse) {
    this.admin = admin;
    this.out = out;
    this.filter = filter;
    this.partitionsPerResponse = partitionsPerResponse == null ? 2000 : partitionsPerResponse;
  }

  int describe(List<String> topics) throws Exception {
    if (topics.isEmpty()) {
      return 0;
    }
    Map<String, TopicDescription> descriptions = admin.describeTopics(topics,
        new DescribeTopicsOptions().partitionSizeLimitPerResponse(partitionsPerResponse)).allTopicNames().get();
    List<ConfigResource> resources = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
    Map<ConfigResource, KafkaFuture<Config>> configs = admin.describeConfigs(resources).values();
    Set<Integer> liveBrokers = new HashSet<>();
    admin.describeCluster().nodes().get().forEach(n -> liveBrokers.add(n.id()));
    for (String topic : topics) {
      TopicDescription description = descriptions.get(topic);
      Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic)).get();
      List<TopicPartitionInfo> partitions = new ArrayList<>(description.partitions());
      partitions.sort(Comparator.comparingInt(TopicPartitionInfo::partition));
      boolean overrides = config.entries().stream().anyMatch(e -> !e.isDefault());
      if (filter.withOverridesOnly() && !overrides) {
        continue;
      }
      if (!filter.reportsPartitions()) {
        printTopic(description, partitions, config);
      }
      if (filter.withOverridesOnly()) {
        continue;
      }
      int minIsr = minInSyncReplicas(config);
      for (TopicPartitionInfo p : partitions) {
        if (!filter.reportsPartitions() || reported(p, minIsr, liveBrokers)) {
          printPartition(topic, p);
        }
      }
    }
    return 0;
  }

  private boolean reported(TopicPartitionInfo p, int minIsr, Set<Integer> liveBrokers) {
    boolean hasLeader = p.leader() != null && !p.leader().isEmpty();
    return (filter.underReplicated() && p.isr().size() < p.replicas().size())
        || (filter.unavailable() && (!hasLeader || !liveBrokers.contains(p.leader().id())))
        || (filter.underMinIsr() && (!hasLeader || p.isr().size() < minIsr))
        || (filter.atMinIsr() && p.isr().size() == minIsr);
  }

  private static int minInSyncReplicas(Config config) {
    ConfigEntry e = config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
    try {
      return e == null || e.value() == null ? 1 : Integer.parseInt(e.value());
    } catch (NumberFormatException ex) {
      return 1;
    }
  }

  private void printTopic(TopicDescription d, List<TopicPartitionInfo> partitions, Config config) {
    String configs = config.entries().stream().filter(e -> !e.isDefault())
        .map(e -> e.name() + "=" + (e.isSensitive() ? "(sensitive)" : e.value()))
        .collect(Collectors.joining(","));
    StringBuilder line = new StringBuilder("Topic: ").append(d.name());
    if (d.topicId() != null && !d.topicId().equals(Uuid.ZERO_UUID)) {
      line.append("\tTopicId: ").append(d.topicId());
    }
    int replicationFactor = partitions.isEmpty() ? 0 : partitions.get(0).replicas().size();
    line.append("\tPartitionCount: ").append(partitions.size())
        .append("\tReplicationFactor: ").append(replicationFactor)
        .append("\tConfigs: ").append(configs);
    out.println(line);
  }

  private void printPartition(String topic, TopicPartitionInfo p) {
    boolean hasLeader = p.leader() != null && !p.leader().isEmpty();
    StringBuilder line = new StringBuilder("\tTopic: ").append(topic)
        .append("\tPartition: ").append(p.partition())
        .append("\tLeader: ").append(hasLeader ? Integer.toString(p.leader().id()) : "none")
        .append("\tReplicas: ").append(ids(p.replicas()))
        .append("\tIsr: ").append(ids(p.isr()));
    if (p.elr() != null) {
      line.append("\tElr: ").append(ids(p.elr()));
    }
    if (p.lastKnownElr() != null) {
      line.append("\tLastKnownElr: ").append(ids(p.lastKnownElr()));
    }
    out.println(line);
  }

  private static String ids(List<Node> nodes) {
    return nodes.stream().map(n -> Integer.toString(n.id())).collect(Collectors.joining(","));
  }
}
