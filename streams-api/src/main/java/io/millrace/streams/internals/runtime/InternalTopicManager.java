package io.millrace.streams.internals.runtime;

import io.millrace.streams.StreamsConfig;
import io.millrace.streams.errors.StreamsException;
import io.millrace.streams.errors.TopologyException;
import io.millrace.streams.internals.topology.InternalTopicDef;
import io.millrace.streams.internals.topology.InternalTopologyBuilder;
import io.millrace.streams.internals.topology.StoreDef;
import io.millrace.streams.internals.topology.Subtopology;
import io.millrace.streams.state.StoreBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the application's internal topics through the admin client before its threads join
 * the group: repartition topics ({@code <application.id>-<name>-repartition}) and changelogs
 * ({@code <application.id>-<store>-changelog}), with the partition counts the topology needs.
 *
 * <ul>
 *   <li>Source topics must exist (waited for up to {@code startup.topic.timeout.ms}).
 *   <li>Co-partitioned (joined) source topics must have equal partition counts; automatic
 *       repartition topics among them take that count.
 *   <li>Other automatic repartition topics take the largest count among the inputs of the
 *       sub-topology that writes them; a changelog has one partition per task of its store's
 *       sub-topology. Compacted, and for window and session stores also deleted after the
 *       store's retention plus {@code windowstore.changelog.additional.retention.ms}.
 *   <li>An existing internal topic with another partition count is an error, never changed.
 * </ul>
 */
final class InternalTopicManager {
  private static final Logger log = LoggerFactory.getLogger(InternalTopicManager.class);
  private static final long RETRY_BACKOFF_MS = 250;

  private final Admin admin;
  private final InternalTopologyBuilder topology;
  private final String applicationId;
  private final short replicationFactor;
  private final long topicTimeoutMs;
  private final long additionalRetentionMs;

  InternalTopicManager(Admin admin, InternalTopologyBuilder topology, StreamsConfig config) {
    this.admin = admin;
    this.topology = topology;
    this.applicationId = config.getString(StreamsConfig.APPLICATION_ID_CONFIG);
    this.replicationFactor = config.getShort(StreamsConfig.REPLICATION_FACTOR_CONFIG);
    this.topicTimeoutMs = config.getLong(StreamsConfig.STARTUP_TOPIC_TIMEOUT_MS_CONFIG);
    this.additionalRetentionMs = config.getLong(StreamsConfig.WINDOW_STORE_CHANGE_LOG_ADDITIONAL_RETENTION_MS_CONFIG);
  }

  /** Makes sure every internal topic exists; returns partition counts by full topic name. */
  Map<String, Integer> setup() {
    Map<String, Integer> counts = new HashMap<>(waitForSourceTopics());
    Map<String, Integer> internal = repartitionCounts(counts);
    internal.forEach((name, n) -> counts.put(full(name), n));
    Map<String, NewTopic> wanted = new LinkedHashMap<>();
    internal.forEach((name, n) -> wanted.put(full(name), newTopic(full(name), n, Map.of(
        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
        TopicConfig.RETENTION_MS_CONFIG, "-1"))));
    for (Subtopology s : topology.subtopologies()) {
      int tasks = 0;
      for (String t : s.sourceTopics()) {
        tasks = Math.max(tasks, counts.get(full(t)));
      }
      for (String store : s.stores()) {
        StoreDef def = topology.stores().get(store);
        StoreBuilder<?> b = def.builder();
        if (b.loggingEnabled()) {
          String name = applicationId + "-" + store + "-changelog";
          wanted.put(name, newTopic(name, tasks, changelogConfig(b)));
        }
      }
    }
    createMissing(wanted);
    return counts;
  }

  private String full(String topic) {
    return topology.resolveTopic(applicationId, topic);
  }

  private Map<String, String> changelogConfig(StoreBuilder<?> b) {
    Map<String, String> c = new HashMap<>();
    if (b.retentionMs() >= 0) {
      c.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE);
      c.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(b.retentionMs() + additionalRetentionMs));
    } else {
      c.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    }
    c.putAll(b.logConfig());
    return c;
  }

  private NewTopic newTopic(String name, int partitions, Map<String, String> configs) {
    NewTopic t = new NewTopic(name, Optional.of(partitions),
        replicationFactor < 0 ? Optional.empty() : Optional.of(replicationFactor));
    return t.configs(configs);
  }

  /** Waits until every external source topic exists; returns their partition counts. */
  private Map<String, Integer> waitForSourceTopics() {
    List<String> external = new ArrayList<>();
    for (Subtopology s : topology.subtopologies()) {
      for (String t : s.sourceTopics()) {
        if (!topology.isInternalTopic(t)) {
          external.add(t);
        }
      }
    }
    long deadline = System.currentTimeMillis() + topicTimeoutMs;
    while (true) {
      Map<String, Integer> counts = describe(external);
      List<String> missing = external.stream().filter(t -> !counts.containsKey(t)).toList();
      if (missing.isEmpty()) {
        return counts;
      }
      if (System.currentTimeMillis() >= deadline) {
        throw new StreamsException("Source topics " + missing + " do not exist (waited "
            + topicTimeoutMs + " ms, startup.topic.timeout.ms): create them first");
      }
      log.info("Waiting for source topics {} to be created", missing);
      sleep(RETRY_BACKOFF_MS);
    }
  }

  /**
   * Partition counts of repartition topics (by short name): a count given with {@code
   * Repartitioned}; else that of the external topics it is joined with; else the widest input of
   * the sub-topologies writing it (resolved to a fixed point, as writers may read repartition
   * topics themselves); finally co-partitioned groups are aligned to their widest member.
   */
  Map<String, Integer> repartitionCounts(Map<String, Integer> external) {
    Map<String, InternalTopicDef> defs = topology.internalTopics();
    Map<String, Integer> counts = new HashMap<>();
    defs.values().forEach(d -> {
      if (d.partitions() > 0) {
        counts.put(d.name(), d.partitions());
      }
    });
    for (Set<String> group : topology.copartitionGroups()) {
      Integer externalCount = externalCount(group, defs, external);
      if (externalCount != null) {
        group.stream().filter(t -> defs.containsKey(t)).forEach(t -> counts.putIfAbsent(t, externalCount));
      }
    }
    resolveFromWriters(defs, external, counts);
    alignCopartitionGroups(defs, counts);
    return counts;
  }

  /** The one partition count of a co-partition group's external topics, or null if it has none. */
  private static Integer externalCount(Set<String> group, Map<String, InternalTopicDef> defs,
      Map<String, Integer> external) {
    Integer count = null;
    String first = null;
    for (String t : group) {
      if (!defs.containsKey(t)) {
        Integer n = external.get(t);
        if (count != null && !count.equals(n)) {
          throw new TopologyException("co-partitioned (joined) topics " + first + " (" + count
              + " partitions) and " + t + " (" + n + " partitions) must have the same partition count");
        }
        count = n;
        first = t;
      }
    }
    return count;
  }

  /** Counts of the remaining repartition topics from their writers' inputs, until nothing changes. */
  private void resolveFromWriters(Map<String, InternalTopicDef> defs, Map<String, Integer> external,
      Map<String, Integer> counts) {
    boolean changed = true;
    while (changed) {
      changed = false;
      for (InternalTopicDef d : defs.values()) {
        if (!counts.containsKey(d.name())) {
          Integer n = fromWriters(d.name(), external, counts);
          if (n != null) {
            counts.put(d.name(), n);
            changed = true;
          }
        }
      }
    }
    for (InternalTopicDef d : defs.values()) {
      if (!counts.containsKey(d.name())) {
        throw new TopologyException("cannot work out the partition count of repartition topic " + d.name()
            + " (its writers read only repartition topics in a cycle); set it with Repartitioned");
      }
    }
  }

  /** Repartition topics without a given count take their co-partition group's widest count. */
  private void alignCopartitionGroups(Map<String, InternalTopicDef> defs, Map<String, Integer> counts) {
    for (Set<String> group : topology.copartitionGroups()) {
      int max = group.stream().filter(counts::containsKey).mapToInt(counts::get).max().orElse(0);
      for (String t : group) {
        if (counts.containsKey(t) && defs.get(t) != null && defs.get(t).partitions() <= 0) {
          counts.put(t, max);
        } else if (counts.containsKey(t) && counts.get(t) != max) {
          throw new TopologyException("co-partitioned topics " + group + " need the same partition count;"
              + " " + t + " has " + counts.get(t) + ", another " + max);
        }
      }
    }
  }

  private Integer fromWriters(String topic, Map<String, Integer> external, Map<String, Integer> counts) {
    Integer result = null;
    for (Subtopology s : topology.subtopologies()) {
      if (!s.sinkTopics().contains(topic)) {
        continue;
      }
      int max = 0;
      for (String src : s.sourceTopics()) {
        Integer n = topology.isInternalTopic(src) ? counts.get(src) : external.get(src);
        if (n == null) {
          return null;
        }
        max = Math.max(max, n);
      }
      result = result == null ? max : Math.max(result, max);
    }
    return result;
  }

  private Map<String, Integer> describe(List<String> topics) {
    Map<String, Integer> counts = new HashMap<>();
    if (topics.isEmpty()) {
      return counts;
    }
    var result = admin.describeTopics(topics).topicNameValues();
    for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<TopicDescription>> e : result.entrySet()) {
      try {
        counts.put(e.getKey(), e.getValue().get(topicTimeoutMs + 10_000, TimeUnit.MILLISECONDS).partitions().size());
      } catch (ExecutionException ex) {
        if (!(ex.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw new StreamsException("Cannot describe topic " + e.getKey() + ": " + ex.getCause().getMessage(),
              ex.getCause());
        }
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new StreamsException("Interrupted while describing topics", ex);
      } catch (TimeoutException ex) {
        throw new StreamsException("Timed out describing topic " + e.getKey(), ex);
      }
    }
    return counts;
  }

  private void createMissing(Map<String, NewTopic> wanted) {
    Map<String, Integer> existing = describe(new ArrayList<>(wanted.keySet()));
    List<NewTopic> create = new ArrayList<>();
    for (NewTopic t : wanted.values()) {
      Integer n = existing.get(t.name());
      if (n == null) {
        create.add(t);
      } else if (n != t.numPartitions()) {
        throw new StreamsException("Internal topic " + t.name() + " has " + n + " partitions but the topology"
            + " needs " + t.numPartitions() + "; delete it (and the application's local state) to reset");
      }
    }
    if (create.isEmpty()) {
      return;
    }
    log.info("Creating internal topics {}", create.stream().map(NewTopic::name).toList());
    var results = admin.createTopics(create).values();
    for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> e : results.entrySet()) {
      try {
        e.getValue().get(topicTimeoutMs + 10_000, TimeUnit.MILLISECONDS);
      } catch (ExecutionException ex) {
        if (!(ex.getCause() instanceof TopicExistsException)) {
          throw new StreamsException("Cannot create internal topic " + e.getKey() + ": " + ex.getCause().getMessage(),
              ex.getCause());
        }
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new StreamsException("Interrupted while creating topics", ex);
      } catch (TimeoutException ex) {
        throw new StreamsException("Timed out creating internal topic " + e.getKey(), ex);
      }
    }
    waitUntilVisible(create.stream().map(NewTopic::name).toList());
  }

  /** Topic creation returns before every broker serves the new topic's metadata. */
  private void waitUntilVisible(List<String> topics) {
    long deadline = System.currentTimeMillis() + topicTimeoutMs;
    while (describe(topics).size() < topics.size()) {
      if (System.currentTimeMillis() >= deadline) {
        throw new StreamsException("Internal topics " + topics + " were created but are not visible");
      }
      sleep(RETRY_BACKOFF_MS);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StreamsException("Interrupted while setting up topics", e);
    }
  }
}
