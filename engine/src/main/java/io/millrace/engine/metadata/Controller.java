package io.millrace.engine.metadata;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.requests.ApiError;

/**
 * The only writer of cluster metadata. Every change is applied in one order, made durable, and
 * published to the {@link MetadataListener}s before its future completes. Results carry an
 * {@link ApiError} per item (topic), so one bad topic in a request does not fail the others; the
 * future itself fails only when the controller cannot work at all (for example, it cannot write
 * its state to disk).
 *
 * <p>Thread-safe: methods may be called from any thread; futures complete on the controller's
 * context.
 */
public interface Controller {

  /** The latest published image. Never null once started. */
  MetadataImage image();

  /** Adds a listener; it gets every image published from now on. */
  void addListener(MetadataListener listener);

  /** Registers a broker, or updates its endpoints and rack (a restart on other ports). */
  Future<Void> registerBroker(BrokerRegistration broker);

  /** Creates topics; with {@code validateOnly} only checks them. Results by topic name. */
  Future<Map<String, TopicCreation>> createTopics(List<NewTopic> topics, boolean validateOnly);

  /** Deletes topics by name. Results by topic name. */
  Future<Map<String, ApiError>> deleteTopics(Collection<String> names);

  /** Raises partition counts. Results by topic name. */
  Future<Map<String, ApiError>> createPartitions(List<NewPartitions> requests, boolean validateOnly);

  /** Changes topic config overrides. Results by topic name. */
  Future<Map<String, ApiError>> alterTopicConfigs(Map<String, ConfigChange> changes, boolean validateOnly);

  /** Hands out a block of producer ids that is never handed out again, even after a restart. */
  Future<ProducerIdBlock> allocateProducerIds();

  /**
   * A leader asks to change the ISR of a partition (Kafka's AlterPartition): applied only if it
   * names the current leader and partition epochs; the result carries the partition afterwards.
   */
  Future<ReplicaChanges.IsrResult> alterPartition(ReplicaChanges.IsrChange change);

  /**
   * ElectLeaders: preferred or unclean leader elections for these partitions (null: all).
   * Results by partition.
   */
  Future<Map<org.apache.kafka.common.TopicPartition, ApiError>> electLeaders(ReplicaChanges.ElectionType type,
      List<org.apache.kafka.common.TopicPartition> partitions);

  /**
   * A broker is stopping: it is fenced, so every partition it leads gets another leader from the
   * ISR and it leaves every ISR, before it closes its logs. Completes once that is committed.
   */
  Future<Void> controlledShutdown(int brokerId);

  /**
   * A topic to create.
   *
   * @param numPartitions -1 for {@code num.partitions}
   * @param replicationFactor -1 for {@code default.replication.factor}
   * @param assignments explicit replicas per partition index, or empty
   * @param configs config overrides
   */
  record NewTopic(String name, int numPartitions, short replicationFactor,
      Map<Integer, List<Integer>> assignments, Map<String, String> configs) {
    public NewTopic {
      assignments = Map.copyOf(assignments);
      configs = Map.copyOf(configs);
    }

    /** A topic with the broker's default partition count and replication factor. */
    public static NewTopic withDefaults(String name) {
      return new NewTopic(name, -1, (short) -1, Map.of(), Map.of());
    }
  }

  /** The outcome of creating one topic: the error, and the topic as created (null on error). */
  record TopicCreation(ApiError error, TopicImage topic) {}

  /**
   * Raise {@code topic} to {@code totalCount} partitions.
   *
   * @param assignments replicas for each new partition, or empty to let the controller choose
   */
  record NewPartitions(String topic, int totalCount, List<List<Integer>> assignments) {
    public NewPartitions {
      assignments = List.copyOf(assignments);
    }
  }

  /** A change to one topic's config overrides. */
  sealed interface ConfigChange permits ConfigChange.Replace, ConfigChange.Incremental {
    /** AlterConfigs: the overrides become exactly these. */
    record Replace(Map<String, String> configs) implements ConfigChange {
      public Replace {
        configs = Map.copyOf(configs);
      }
    }

    /** IncrementalAlterConfigs: set, delete, append to or subtract from single keys. */
    record Incremental(List<ConfigOp> ops) implements ConfigChange {
      public Incremental {
        ops = List.copyOf(ops);
      }
    }
  }

  /** One IncrementalAlterConfigs operation; {@code value} is null for DELETE. */
  record ConfigOp(String key, org.apache.kafka.clients.admin.AlterConfigOp.OpType type, String value) {}

  /** Producer ids {@code firstId .. firstId + size - 1}. */
  record ProducerIdBlock(long firstId, int size) {
    public long lastId() {
      return firstId + size - 1;
    }
  }
}
