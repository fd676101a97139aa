package io.millrace.engine.broker;

import io.millrace.engine.log.LogConfig;
import io.millrace.engine.metadata.Endpoint;
import io.millrace.engine.replication.HighWatermarkCheckpoint;
import io.millrace.engine.replication.IsrProposer;
import io.millrace.engine.replication.ReplicaFetchers;
import io.millrace.engine.replication.ReplicationConfig;
import io.millrace.engine.log.LogManager;
import io.millrace.engine.log.PartitionLog;
import io.millrace.engine.metrics.LogMetrics;
import io.millrace.engine.metrics.PartitionMetrics;
import io.millrace.engine.metadata.MetadataImage;
import io.millrace.engine.metadata.MetadataListener;
import io.millrace.engine.metadata.PartitionImage;
import io.millrace.engine.metadata.TopicImage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions this broker hosts, kept in step with the metadata: for each committed image it
 * creates the logs of new partitions it is a replica of, makes each replica leader or follower as
 * the image says (pointing the {@link ReplicaFetchers} at new leaders), applies changed topic
 * configs, and deletes the logs of partitions that left the image. Leaders check their followers'
 * lag twice per {@code replica.lag.time.max.ms}. Each partition is owned by one of a fixed set of
 * event-loop contexts, chosen by hash.
 *
 * <p>Thread-safe: lookups from any thread; images are applied one at a time on a worker thread
 * (creating and deleting logs blocks).
 */
public final class HostedPartitions implements MetadataListener {

  private static final Logger log = LoggerFactory.getLogger(HostedPartitions.class);

  private final VertxInternal vertx;
  private final int nodeId;
  private final LogManager logs;
  private final TopicConfigCatalog configs;
  private final ContextInternal[] owners;
  private final LogMetrics metrics;
  private final Map<TopicPartition, HostedPartition> partitions = new ConcurrentHashMap<>();
  private final HostedPartition.Replication replication;
  private final ReplicaFetchers fetchers;
  private final String interBrokerListener;
  private final long isrCheckTimer;
  private final long checkpointTimer;
  /** High watermarks checkpointed before the start, by log dir; each log takes its own when first hosted. */
  private final Map<java.nio.file.Path, Map<TopicPartition, Long>> checkpointedHighWatermarks = new ConcurrentHashMap<>();
  private volatile Map<Uuid, String> topicNames = Map.of();
  private volatile Map<String, Uuid> topicIds = Map.of();

  /**
   * @param metrics the series of hosted topics and partitions, or null for none
   * @param isrProposer where leaders send ISR changes (the controller)
   * @param interBrokerListener the listener followers fetch from
   */
  public HostedPartitions(VertxInternal vertx, int nodeId, LogManager logs, TopicConfigCatalog configs,
      int ownerContexts, LogMetrics metrics, ReplicationConfig replicationConfig, IsrProposer isrProposer,
      String interBrokerListener) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.nodeId = nodeId;
    this.logs = logs;
    this.configs = configs;
    this.owners = new ContextInternal[ownerContexts];
    for (int i = 0; i < ownerContexts; i++) {
      owners[i] = vertx.createEventLoopContext();
    }
    this.replication = new HostedPartition.Replication(nodeId, isrProposer, System::currentTimeMillis,
        replicationConfig.replicaLagTimeMaxMs());
    this.fetchers = new ReplicaFetchers(vertx, nodeId, replicationConfig);
    this.interBrokerListener = interBrokerListener;
    this.checkpointTimer = vertx.setPeriodic(replicationConfig.highWatermarkCheckpointIntervalMs(),
        t -> vertx.executeBlocking(() -> {
          checkpointHighWatermarks();
          return null;
        }, true));
    // Leaders look for lagging followers twice per lag bound, as Kafka does.
    this.isrCheckTimer = vertx.setPeriodic(Math.max(100, replicationConfig.replicaLagTimeMaxMs() / 2), t ->
        partitions.values().forEach(p -> {
          if (p.isLeader()) {
            p.onOwner(() -> {
              p.maybeShrinkIsr();
              return null;
            });
          }
        }));
  }

  public Optional<HostedPartition> get(TopicPartition tp) {
    return Optional.ofNullable(partitions.get(tp));
  }

  public Collection<HostedPartition> all() {
    return partitions.values();
  }

  /** The name of the topic with this id, or null. */
  public String topicName(Uuid id) {
    return topicNames.get(id);
  }

  /** The id of the topic with this name, or null. */
  public Uuid topicId(String name) {
    return topicIds.get(name);
  }

  public LogManager logManager() {
    return logs;
  }

  @Override
  public Future<Void> onImage(MetadataImage previous, MetadataImage image) {
    return vertx.executeBlocking(() -> {
      reconcile(image);
      return null;
    }, true);
  }

  private void reconcile(MetadataImage image) {
    Map<Uuid, String> names = new HashMap<>();
    Map<String, Uuid> ids = new HashMap<>();
    image.topics().values().forEach(t -> {
      names.put(t.id(), t.name());
      ids.put(t.name(), t.id());
    });
    // Ids first, so a request naming a new topic by id resolves as soon as its partitions exist.
    topicNames = Map.copyOf(names);
    topicIds = Map.copyOf(ids);
    for (PartitionLog existing : logs.logs()) {
      TopicPartition tp = existing.topicPartition();
      if (!belongsHere(image, tp)) {
        remove(tp, "its topic or partition is no longer in the metadata");
      }
    }
    Map<ContextInternal, List<Replica>> byOwner = new HashMap<>();
    for (TopicImage topic : image.topics().values()) {
      LogConfig config = configs.effective(topic.configs());
      for (PartitionImage p : topic.partitions()) {
        TopicPartition tp = new TopicPartition(topic.name(), p.partition());
        if (p.replicas().contains(nodeId)) {
          HostedPartition hosted = host(tp, topic.id(), config);
          byOwner.computeIfAbsent(ownerOf(tp), o -> new ArrayList<>()).add(new Replica(hosted, p));
        } else {
          HostedPartition gone = partitions.remove(tp);
          if (gone != null) {
            // No longer a replica here (the topic was recreated elsewhere): stop serving it.
            fetchers.unfollow(tp);
            gone.close();
          }
        }
      }
    }
    // Roles change on each partition's owner: one hop per owner context, all owners at once (a
    // start with thousands of partitions would otherwise wait for thousands of hops in a row).
    List<Future<Void>> applied = new ArrayList<>();
    byOwner.forEach((owner, replicas) -> {
      Promise<Void> done = Promise.promise();
      owner.runOnContext(v -> {
        try {
          replicas.forEach(r -> r.newLeader = r.hosted.applyImage(r.image));
          done.complete();
        } catch (RuntimeException e) {
          done.fail(e);
        }
      });
      applied.add(done.future());
    });
    Future.all(applied).toCompletionStage().toCompletableFuture().join();
    List<TopicPartition> led = new ArrayList<>();
    List<TopicPartition> followed = new ArrayList<>();
    byOwner.values().forEach(replicas -> replicas.forEach(r -> {
      if (r.wasLeader != r.hosted.isLeader() || r.epochBefore != r.hosted.leaderEpoch()) {
        (r.hosted.isLeader() ? led : followed).add(r.hosted.topicPartition());
      }
      follow(image, r.hosted, r.image, r.newLeader);
    }));
    logRoleChanges("leads", led);
    logRoleChanges("follows", followed);
  }

  /** One line per image and role, naming the partitions when there are few (a start may move thousands). */
  private void logRoleChanges(String verb, List<TopicPartition> changed) {
    if (changed.isEmpty()) {
      return;
    }
    changed.sort(java.util.Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
    int shown = Math.min(changed.size(), 20);
    log.info("Broker {} {} {} partition(s) at a new epoch: {}{}", nodeId, verb, changed.size(),
        changed.subList(0, shown), changed.size() > shown ? " and " + (changed.size() - shown) + " more" : "");
  }

  /** A partition this broker is a replica of, with its image; {@code newLeader} is set on its owner. */
  private static final class Replica {
    final HostedPartition hosted;
    final PartitionImage image;
    final boolean wasLeader;
    final int epochBefore;
    volatile boolean newLeader;

    Replica(HostedPartition hosted, PartitionImage image) {
      this.hosted = hosted;
      this.image = image;
      this.wasLeader = hosted.isLeader();
      this.epochBefore = hosted.leaderEpoch();
    }
  }

  /** Points the fetcher at the partition's leader when this broker follows a new one. */
  private void follow(MetadataImage image, HostedPartition hosted, PartitionImage p, boolean newLeader) {
    TopicPartition tp = hosted.topicPartition();
    if (p.leader() == nodeId || p.leader() < 0) {
      fetchers.unfollow(tp);
      return;
    }
    var leader = image.brokers().get(p.leader());
    Optional<Endpoint> endpoint = leader == null ? Optional.empty() : leader.endpoint(interBrokerListener);
    if (endpoint.isEmpty()) {
      log.warn("{}: leader {} has no endpoint on the inter-broker listener {}", tp, p.leader(), interBrokerListener);
      fetchers.unfollow(tp);
      return;
    }
    boolean moved = fetchers.leaderOf(tp).map(id -> id != p.leader()).orElse(true);
    if (newLeader || moved) {
      fetchers.follow(hosted, p.leader(), p.leaderEpoch(), endpoint.get());
    } else {
      fetchers.leaderAt(p.leader(), endpoint.get());
    }
  }

  private boolean belongsHere(MetadataImage image, TopicPartition tp) {
    TopicImage topic = image.topic(tp.topic());
    if (topic == null || topic.partition(tp.partition()) == null) {
      return false;
    }
    HostedPartition hosted = partitions.get(tp);
    return hosted == null || hosted.topicId().equals(topic.id());
  }

  private HostedPartition host(TopicPartition tp, Uuid topicId, LogConfig config) {
    HostedPartition hosted = partitions.get(tp);
    if (hosted != null) {
      if (!hosted.log().config().equals(config)) {
        hosted.onOwner(() -> {
          hosted.log().updateConfig(config);
          return null;
        }).toCompletionStage().toCompletableFuture().join();
        log.info("Applied new config to {}", tp);
      }
      return hosted;
    }
    try {
      PartitionLog partitionLog = logs.get(tp).orElse(null);
      Optional<Uuid> stored = Optional.empty();
      if (partitionLog != null) {
        stored = PartitionMetadataFile.read(partitionLog.dir());
        if (stored.isPresent() && !stored.get().equals(topicId)) {
          log.info("Deleting the log of {}: it belongs to topic id {}, the topic now has id {}", tp, stored.get(), topicId);
          logs.delete(tp).join();
          partitionLog = null;
          stored = Optional.empty();
        } else {
          partitionLog.updateConfig(config);
        }
      }
      if (partitionLog == null) {
        partitionLog = logs.getOrCreate(tp, config);
      }
      if (stored.isEmpty()) { // written once per log (with an fsync), not at every start
        PartitionMetadataFile.write(partitionLog.dir(), topicId);
      }
      Long checkpointed = checkpointedHighWatermarks.computeIfAbsent(partitionLog.dir().getParent(),
          HighWatermarkCheckpoint::read).remove(tp);
      if (checkpointed != null && checkpointed > partitionLog.highWatermark()) {
        partitionLog.updateHighWatermark(checkpointed);
      }
      HostedPartition partition = new HostedPartition(tp, topicId, partitionLog, ownerOf(tp),
          metrics == null ? PartitionMetrics.NONE : metrics.partition(tp, partitionLog), replication);
      partitions.put(tp, partition);
      log.debug("Hosting {} at log end offset {}", partition, partitionLog.logEndOffset());
      return partition;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot host " + tp + ": " + e.getMessage(), e);
    }
  }

  private void remove(TopicPartition tp, String why) {
    fetchers.unfollow(tp);
    HostedPartition hosted = partitions.remove(tp);
    if (hosted != null) {
      hosted.close();
    }
    log.info("Deleting the log of {}: {}", tp, why);
    logs.delete(tp).whenComplete((v, e) -> {
      if (e != null) {
        log.error("Deleting the log of {} failed", tp, e);
      }
    });
  }

  private ContextInternal ownerOf(TopicPartition tp) {
    return owners[Math.floorMod(tp.hashCode(), owners.length)];
  }

  /** Writes every hosted partition's high watermark to its log dir's checkpoint. Blocking. */
  void checkpointHighWatermarks() {
    Map<java.nio.file.Path, Map<TopicPartition, Long>> byDir = new HashMap<>();
    for (HostedPartition p : partitions.values()) {
      byDir.computeIfAbsent(p.log().dir().getParent(), d -> new java.util.TreeMap<>(
          java.util.Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition)))
          .put(p.topicPartition(), p.log().highWatermark());
    }
    for (var e : byDir.entrySet()) {
      try {
        HighWatermarkCheckpoint.write(e.getKey(), e.getValue());
      } catch (IOException ex) {
        log.warn("Cannot write the high watermark checkpoint of {}: {}", e.getKey(), ex.getMessage());
      }
    }
  }

  /** Stops hosting: stops the fetchers, wakes every waiting fetch. The caller closes the log manager. */
  public void close() {
    vertx.cancelTimer(isrCheckTimer);
    vertx.cancelTimer(checkpointTimer);
    checkpointHighWatermarks();
    fetchers.close();
    List<HostedPartition> all = List.copyOf(partitions.values());
    partitions.clear();
    all.forEach(HostedPartition::close);
  }
}
