package io.millrace.engine.metadata;

import io.millrace.engine.metadata.Controller.ConfigChange;
import io.millrace.engine.metadata.Controller.ConfigOp;
import io.millrace.engine.metadata.Controller.NewPartitions;
import io.millrace.engine.metadata.Controller.NewTopic;
import io.millrace.engine.metadata.Controller.TopicCreation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;

/**
 * The controller's decisions as pure functions: an image and a request in, the next image and
 * per-topic results out. No IO, no clock, no threads, so every rule is testable directly; the
 * {@link LocalController} (and later the cluster controller) does the persisting and publishing.
 *
 * @param defaultPartitions {@code num.partitions}
 * @param defaultReplicationFactor {@code default.replication.factor}
 * @param rules topic config validation
 * @param topicIds source of new topic ids (random in production, fixed in tests)
 */
public record MetadataChanges(int defaultPartitions, short defaultReplicationFactor,
    TopicConfigRules rules, Supplier<Uuid> topicIds) {

  /** Largest partition count a topic may have; bounds memory and files per request. */
  public static final int MAX_PARTITIONS = 100_000;

  /** The result of one change: the next image (null if nothing changed) and the answers. */
  public record Outcome<T>(MetadataImage image, T result) {}

  public Outcome<Map<String, TopicCreation>> createTopics(MetadataImage image, List<NewTopic> topics,
      boolean validateOnly) {
    Map<String, TopicCreation> results = new LinkedHashMap<>();
    MetadataImage next = image;
    Set<String> seen = new HashSet<>();
    for (NewTopic t : topics) {
      if (!seen.add(t.name())) {
        results.put(t.name(), new TopicCreation(new ApiError(Errors.INVALID_REQUEST,
            "topic " + t.name() + " appears more than once in the request"), null));
        continue;
      }
      try {
        TopicImage created = newTopic(next, t);
        results.put(t.name(), new TopicCreation(ApiError.NONE, created));
        if (!validateOnly) {
          next = next.withTopic(created);
        }
      } catch (ChangeRejected e) {
        results.put(t.name(), new TopicCreation(e.error, null));
      }
    }
    return new Outcome<>(next == image ? null : next, results);
  }

  private TopicImage newTopic(MetadataImage image, NewTopic t) {
    try {
      Topic.validate(t.name());
    } catch (InvalidTopicException e) {
      throw reject(Errors.INVALID_TOPIC_EXCEPTION, e.getMessage());
    }
    if (image.topic(t.name()) != null) {
      throw reject(Errors.TOPIC_ALREADY_EXISTS, "Topic '" + t.name() + "' already exists.");
    }
    for (String existing : image.topics().keySet()) {
      if (Topic.hasCollision(t.name(), existing)) {
        throw reject(Errors.INVALID_TOPIC_EXCEPTION, "Topic '" + t.name() + "' collides with existing topic '"
            + existing + "': '.' and '_' are the same in metric names");
      }
    }
    List<List<Integer>> assignment;
    if (!t.assignments().isEmpty()) {
      if (t.numPartitions() != -1 || t.replicationFactor() != -1) {
        throw reject(Errors.INVALID_REQUEST, "Both numPartitions or replicationFactor and replicasAssignments were set. "
            + "Both cannot be used at the same time.");
      }
      assignment = explicitAssignment(image, t.assignments());
    } else {
      int partitions = t.numPartitions() == -1 ? defaultPartitions : t.numPartitions();
      short rf = t.replicationFactor() == -1 ? defaultReplicationFactor : t.replicationFactor();
      if (partitions <= 0 || partitions > MAX_PARTITIONS) {
        throw reject(Errors.INVALID_PARTITIONS, "Number of partitions must be in 1.." + MAX_PARTITIONS
            + ", was " + partitions + ".");
      }
      if (rf <= 0) {
        throw reject(Errors.INVALID_REPLICATION_FACTOR, "Replication factor must be larger than 0, was " + rf + ".");
      }
      assignment = placed(image, 0, partitions, rf);
    }
    checkConfigs(t.configs());
    List<PartitionImage> partitions = new ArrayList<>(assignment.size());
    for (int p = 0; p < assignment.size(); p++) {
      partitions.add(newPartition(image, p, assignment.get(p)));
    }
    Uuid id = topicIds.get();
    while (id.equals(Uuid.ZERO_UUID) || id.equals(Uuid.METADATA_TOPIC_ID) || image.topic(id) != null) {
      id = topicIds.get();
    }
    return new TopicImage(t.name(), id, partitions, t.configs());
  }

  public Outcome<Map<String, ApiError>> deleteTopics(MetadataImage image, Collection<String> names) {
    Map<String, ApiError> results = new LinkedHashMap<>();
    MetadataImage next = image;
    for (String name : names) {
      if (Topic.isInternal(name) && next.topic(name) != null) {
        results.put(name, new ApiError(Errors.INVALID_TOPIC_EXCEPTION, "Cannot delete internal topic " + name
            + ": the brokers keep their state in it."));
      } else if (next.topic(name) == null) {
        results.put(name, new ApiError(Errors.UNKNOWN_TOPIC_OR_PARTITION,
            results.containsKey(name) ? "Topic " + name + " appears more than once" : null));
      } else {
        next = next.withoutTopic(name);
        results.put(name, ApiError.NONE);
      }
    }
    return new Outcome<>(next == image ? null : next, results);
  }

  public Outcome<Map<String, ApiError>> createPartitions(MetadataImage image, List<NewPartitions> requests,
      boolean validateOnly) {
    Map<String, ApiError> results = new LinkedHashMap<>();
    MetadataImage next = image;
    for (NewPartitions r : requests) {
      if (results.containsKey(r.topic())) {
        results.put(r.topic(), new ApiError(Errors.INVALID_REQUEST, "Duplicate topic in request."));
        continue;
      }
      try {
        TopicImage grown = grow(next, r);
        results.put(r.topic(), ApiError.NONE);
        if (!validateOnly) {
          next = next.withTopic(grown);
        }
      } catch (ChangeRejected e) {
        results.put(r.topic(), e.error);
      }
    }
    return new Outcome<>(next == image ? null : next, results);
  }

  private TopicImage grow(MetadataImage image, NewPartitions r) {
    TopicImage topic = image.topic(r.topic());
    if (topic == null) {
      throw reject(Errors.UNKNOWN_TOPIC_OR_PARTITION, "The topic '" + r.topic() + "' does not exist.");
    }
    if (Topic.isInternal(r.topic())) {
      // Groups are placed on offsets partitions by hash of the partition count: more would move them.
      throw reject(Errors.INVALID_TOPIC_EXCEPTION, "Cannot add partitions to internal topic " + r.topic() + ".");
    }
    int current = topic.numPartitions();
    if (r.totalCount() < current) {
      throw reject(Errors.INVALID_PARTITIONS, "The topic " + r.topic() + " currently has " + current
          + " partition(s); " + r.totalCount() + " would not be an increase.");
    }
    if (r.totalCount() == current) {
      throw reject(Errors.INVALID_PARTITIONS, "Topic already has " + current + " partition(s).");
    }
    if (r.totalCount() > MAX_PARTITIONS) {
      throw reject(Errors.INVALID_PARTITIONS, "A topic may have at most " + MAX_PARTITIONS + " partitions.");
    }
    int added = r.totalCount() - current;
    short rf = (short) topic.partition(0).replicas().size();
    List<List<Integer>> assignment;
    if (!r.assignments().isEmpty()) {
      if (r.assignments().size() != added) {
        throw reject(Errors.INVALID_REPLICA_ASSIGNMENT, "Increasing the number of partitions by " + added
            + " but " + r.assignments().size() + " assignments provided.");
      }
      Map<Integer, List<Integer>> byIndex = new LinkedHashMap<>();
      for (int i = 0; i < added; i++) {
        byIndex.put(i, r.assignments().get(i));
      }
      assignment = explicitAssignment(image, byIndex);
    } else {
      assignment = placed(image, current, added, rf);
    }
    List<PartitionImage> partitions = new ArrayList<>(topic.partitions());
    for (int i = 0; i < added; i++) {
      partitions.add(newPartition(image, current + i, assignment.get(i)));
    }
    return topic.withPartitions(partitions);
  }

  public Outcome<Map<String, ApiError>> alterTopicConfigs(MetadataImage image, Map<String, ConfigChange> changes,
      boolean validateOnly) {
    Map<String, ApiError> results = new LinkedHashMap<>();
    MetadataImage next = image;
    for (Map.Entry<String, ConfigChange> e : changes.entrySet()) {
      TopicImage topic = next.topic(e.getKey());
      if (topic == null) {
        results.put(e.getKey(), new ApiError(Errors.UNKNOWN_TOPIC_OR_PARTITION,
            "The topic '" + e.getKey() + "' does not exist."));
        continue;
      }
      try {
        Map<String, String> configs = applied(topic.configs(), e.getValue());
        checkConfigs(configs);
        results.put(e.getKey(), ApiError.NONE);
        if (!validateOnly && !configs.equals(topic.configs())) {
          next = next.withTopic(topic.withConfigs(configs));
        }
      } catch (ChangeRejected rejected) {
        results.put(e.getKey(), rejected.error);
      }
    }
    return new Outcome<>(next == image ? null : next, results);
  }

  private Map<String, String> applied(Map<String, String> current, ConfigChange change) {
    if (change instanceof ConfigChange.Replace replace) {
      return replace.configs();
    }
    Map<String, String> configs = new LinkedHashMap<>(current);
    Set<String> keys = new HashSet<>();
    for (ConfigOp op : ((ConfigChange.Incremental) change).ops()) {
      if (!keys.add(op.key())) {
        throw reject(Errors.INVALID_CONFIG, "Config " + op.key() + " appears more than once in the request.");
      }
      switch (op.type()) {
        case SET -> configs.put(op.key(), op.value());
        case DELETE -> configs.remove(op.key());
        case APPEND, SUBTRACT -> {
          if (!rules.isList(op.key())) {
            throw reject(Errors.INVALID_CONFIG, "Config " + op.key() + " is not a list: "
                + op.type() + " applies to list configs only.");
          }
          Set<String> values = new LinkedHashSet<>();
          // Kafka appends to (or subtracts from) the effective value, the default when not overridden.
          String existing = configs.containsKey(op.key()) ? configs.get(op.key()) : rules.defaultValue(op.key());
          if (existing != null && !existing.isBlank()) {
            values.addAll(Arrays.asList(existing.split("\\s*,\\s*")));
          }
          List<String> given = op.value() == null ? List.of() : Arrays.asList(op.value().split("\\s*,\\s*"));
          if (op.type() == org.apache.kafka.clients.admin.AlterConfigOp.OpType.APPEND) {
            values.addAll(given);
          } else {
            values.removeAll(given);
          }
          configs.put(op.key(), String.join(",", values));
        }
        default -> throw reject(Errors.INVALID_REQUEST, "unknown operation " + op.type());
      }
    }
    return configs;
  }

  /** Takes the next block of producer ids. */
  public Outcome<Controller.ProducerIdBlock> allocateProducerIds(MetadataImage image, int blockSize) {
    long first = image.nextProducerId();
    if (first > Long.MAX_VALUE - blockSize) {
      throw new IllegalStateException("producer ids are exhausted at " + first);
    }
    return new Outcome<>(image.withNextProducerId(first + blockSize), new Controller.ProducerIdBlock(first, blockSize));
  }

  private void checkConfigs(Map<String, String> configs) {
    for (Map.Entry<String, String> e : configs.entrySet()) {
      if (e.getValue() == null) {
        throw reject(Errors.INVALID_CONFIG, "Null value not supported for topic config " + e.getKey() + ".");
      }
    }
    String problem = rules.validate(configs);
    if (problem != null) {
      throw reject(Errors.INVALID_CONFIG, problem);
    }
  }

  /** A new partition led by its first live replica, with the live replicas in sync (it is empty). */
  private static PartitionImage newPartition(MetadataImage image, int index, List<Integer> replicas) {
    List<Integer> isr = replicas.stream().filter(image::isLive).toList();
    if (isr.isEmpty()) {
      throw reject(Errors.INVALID_REPLICA_ASSIGNMENT, "Partition " + index + " is assigned to " + replicas
          + ", none of which is alive.");
    }
    return new PartitionImage(index, isr.get(0), 0, replicas, isr, 0);
  }

  private static List<List<Integer>> explicitAssignment(MetadataImage image, Map<Integer, List<Integer>> byIndex) {
    List<List<Integer>> out = new ArrayList<>();
    int size = -1;
    for (int p = 0; p < byIndex.size(); p++) {
      List<Integer> replicas = byIndex.get(p);
      if (replicas == null) {
        throw reject(Errors.INVALID_REPLICA_ASSIGNMENT, "Partitions must be numbered 0.." + (byIndex.size() - 1)
            + "; partition " + p + " has no assignment.");
      }
      if (replicas.isEmpty() || new HashSet<>(replicas).size() != replicas.size()) {
        throw reject(Errors.INVALID_REPLICA_ASSIGNMENT, "Partition " + p + " has an empty or duplicate replica list "
            + replicas + ".");
      }
      if (size != -1 && replicas.size() != size) {
        throw reject(Errors.INVALID_REPLICA_ASSIGNMENT, "All partitions must have the same number of replicas.");
      }
      size = replicas.size();
      for (int broker : replicas) {
        if (!image.brokers().containsKey(broker)) {
          throw reject(Errors.INVALID_REPLICA_ASSIGNMENT, "Partition " + p + " is assigned to broker " + broker
              + ", which is not registered.");
        }
      }
      out.add(List.copyOf(replicas));
    }
    return out;
  }

  /** Replicas over the live brokers (see {@link ReplicaPlacement}), starting where the last topic ended. */
  private static List<List<Integer>> placed(MetadataImage image, int first, int count, short rf) {
    int existing = 0;
    for (TopicImage t : image.topics().values()) {
      existing += t.numPartitions();
    }
    try {
      return ReplicaPlacement.place(image, first, count, rf, existing);
    } catch (IllegalArgumentException e) {
      throw reject(Errors.INVALID_REPLICATION_FACTOR, "Unable to replicate the partition " + rf + " time(s): "
          + e.getMessage());
    }
  }

  private static ChangeRejected reject(Errors error, String message) {
    return new ChangeRejected(new ApiError(error, message));
  }

  /** Control flow for a rejected item; never leaves this class. */
  private static final class ChangeRejected extends RuntimeException {
    final ApiError error;

    ChangeRejected(ApiError error) {
      super(error.message(), null, false, false);
      this.error = error;
    }
  }
}
