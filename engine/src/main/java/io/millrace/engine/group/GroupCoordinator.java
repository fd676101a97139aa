package io.millrace.engine.group;

import io.millrace.engine.broker.HostedPartition;
import io.millrace.engine.broker.HostedPartitions;
import io.millrace.engine.group.state.CoordinatorResult;
import io.millrace.engine.group.state.GroupShard;
import io.millrace.engine.group.state.RequestMeta;
import io.millrace.engine.metadata.Controller;
import io.millrace.engine.metadata.Controller.NewTopic;
import io.millrace.engine.metadata.Endpoint;
import io.millrace.engine.metadata.MetadataImage;
import io.millrace.engine.metadata.MetadataListener;
import io.millrace.engine.metadata.PartitionImage;
import io.millrace.engine.metadata.TopicImage;
import io.millrace.engine.metrics.GroupSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group coordinator of one broker: a {@link CoordinatorShard} for each partition of
 * {@code __consumer_offsets} this broker leads, and the routing of each group's requests to the
 * shard of {@link OffsetsTopic#partitionFor its partition}.
 *
 * <p>It follows the metadata: when the broker becomes leader of an offsets partition it loads the
 * partition's groups ({@link #onBecomeLeader}); when it stops leading it drops them
 * ({@link #onResign}), and parked requests learn NOT_COORDINATOR. The topic itself is created on
 * the first FindCoordinator.
 *
 * <p>Thread-safe: every method may be called from any thread; futures complete on the offsets
 * partition's owner context (or at once for routing errors). A group whose partition this broker
 * does not lead fails with NOT_COORDINATOR, one still loading with COORDINATOR_LOAD_IN_PROGRESS.
 */
public final class GroupCoordinator implements MetadataListener {

    private static final Logger log = LoggerFactory.getLogger(GroupCoordinator.class);
    /** How long FindCoordinator waits for a local shard that is still loading before it says so. */
    private static final long FIND_COORDINATOR_LOAD_WAIT_MS = 500;

    private final Vertx vertx;
    private final GroupCoordinatorConfig config;
    private final int nodeId;
    private final Controller controller;
    private final HostedPartitions partitions;
    private final Time time;
    private final Map<Integer, CoordinatorShard> shards = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public GroupCoordinator(Vertx vertx, GroupCoordinatorConfig config, int nodeId, Controller controller,
                            HostedPartitions partitions, Time time) {
        this.vertx = vertx;
        this.config = config;
        this.nodeId = nodeId;
        this.controller = controller;
        this.partitions = partitions;
        this.time = time;
    }

    public GroupCoordinatorConfig config() {
        return config;
    }

    /** The offsets partition of a group. */
    public int partitionFor(String groupId) {
        return OffsetsTopic.partitionFor(groupId, numOffsetsPartitions());
    }

    /** The partition count of the existing topic (it wins over the config), else the config's. */
    private int numOffsetsPartitions() {
        TopicImage topic = controller.image().topic(OffsetsTopic.NAME);
        return topic != null ? topic.numPartitions() : config.offsetsTopicNumPartitions();
    }

    // ------------------------------------------------------------------ leadership

    /**
     * Follows each new image: loads offsets partitions this broker now leads, drops those it no
     * longer leads, and deletes offsets of deleted topics.
     */
    @Override
    public Future<Void> onImage(MetadataImage previous, MetadataImage image) {
        if (closed) {
            return Future.succeededFuture();
        }
        TopicImage topic = image.topic(OffsetsTopic.NAME);
        Set<Integer> led = new HashSet<>();
        if (topic != null) {
            for (PartitionImage p : topic.partitions()) {
                if (p.leader() == nodeId) {
                    led.add(p.partition());
                    onBecomeLeader(p.partition(), p.leaderEpoch());
                }
            }
        }
        for (Integer p : List.copyOf(shards.keySet())) {
            if (!led.contains(p)) {
                onResign(p);
            }
        }
        if (previous != null) {
            Set<String> deleted = new HashSet<>();
            previous.topics().values().forEach(t -> {
                TopicImage now = image.topic(t.name());
                if (now == null || !now.id().equals(t.id())) {
                    deleted.add(t.name());
                }
            });
            deleted.remove(OffsetsTopic.NAME);
            if (!deleted.isEmpty()) {
                shards.values().forEach(s -> s.run((shard, now) -> shard.onTopicsDeleted(deleted))
                        .onFailure(e -> log.debug("Offsets of deleted topics stay in {}: {}", s, e.toString())));
            }
        }
        return Future.succeededFuture();
    }

    /**
     * This broker leads offsets partition {@code partition} at {@code leaderEpoch}: load its groups
     * (again, if the epoch changed). Idempotent for the same epoch.
     */
    public void onBecomeLeader(int partition, int leaderEpoch) {
        Optional<HostedPartition> hosted = partitions.get(new TopicPartition(OffsetsTopic.NAME, partition));
        if (hosted.isEmpty()) {
            log.warn("Told to coordinate {}-{}, but the partition is not hosted here", OffsetsTopic.NAME, partition);
            return;
        }
        CoordinatorShard current = shards.get(partition);
        if (current != null && current.leaderEpoch() == leaderEpoch && current.hosted() == hosted.get()) {
            return;
        }
        if (current != null) {
            current.close();
        }
        CoordinatorShard shard = new CoordinatorShard(partition, hosted.get(), leaderEpoch, config, vertx, time);
        shards.put(partition, shard);
        shard.load();
    }

    /** This broker no longer leads {@code partition}: its groups go, parked requests get NOT_COORDINATOR. */
    public void onResign(int partition) {
        CoordinatorShard shard = shards.remove(partition);
        if (shard != null) {
            log.info("No longer coordinating the groups of {}-{}", OffsetsTopic.NAME, partition);
            shard.close();
        }
    }

    /** Drops every shard (broker shutdown): parked requests are answered with NOT_COORDINATOR. */
    public Future<Void> close() {
        closed = true;
        List<Future<Void>> closing = new ArrayList<>();
        for (Integer p : List.copyOf(shards.keySet())) {
            CoordinatorShard shard = shards.remove(p);
            if (shard != null) {
                closing.add(shard.close());
            }
        }
        return Future.join(closing).mapEmpty();
    }

    // ------------------------------------------------------------------ FindCoordinator

    /** Where a group's coordinator is, or why it cannot be told. */
    public record Coordinator(Errors error, String message, int nodeId, String host, int port) {
        static Coordinator error(Errors error, String message) {
            return new Coordinator(error, message, -1, "", -1);
        }
    }

    /**
     * Finds the coordinator of a group for a client on {@code listenerName}, creating
     * {@code __consumer_offsets} first if it does not exist yet.
     */
    public Future<Coordinator> findCoordinator(String groupId, String listenerName) {
        if (groupId == null) {
            return Future.succeededFuture(Coordinator.error(Errors.INVALID_REQUEST, "no group id"));
        }
        if (controller.image().topic(OffsetsTopic.NAME) == null) {
            return createOffsetsTopic().transform(ar -> {
                if (ar.failed()) {
                    log.warn("Cannot create {}: {}", OffsetsTopic.NAME, ar.cause().toString());
                }
                return locate(groupId, listenerName);
            });
        }
        return locate(groupId, listenerName);
    }

    private Future<Coordinator> locate(String groupId, String listenerName) {
        MetadataImage image = controller.image();
        TopicImage topic = image.topic(OffsetsTopic.NAME);
        if (topic == null) {
            return Future.succeededFuture(Coordinator.error(Errors.COORDINATOR_NOT_AVAILABLE,
                    OffsetsTopic.NAME + " does not exist yet"));
        }
        int partition = OffsetsTopic.partitionFor(groupId, topic.numPartitions());
        PartitionImage p = topic.partition(partition);
        var broker = p == null || p.leader() < 0 ? null : image.brokers().get(p.leader());
        Optional<Endpoint> endpoint = broker == null ? Optional.empty() : broker.endpoint(listenerName);
        if (endpoint.isEmpty()) {
            return Future.succeededFuture(Coordinator.error(Errors.COORDINATOR_NOT_AVAILABLE,
                    OffsetsTopic.NAME + "-" + partition + " has no leader reachable on " + listenerName));
        }
        Coordinator found = new Coordinator(Errors.NONE, null, p.leader(), endpoint.get().host(),
                endpoint.get().port());
        if (p.leader() != nodeId) {
            return Future.succeededFuture(found);
        }
        CoordinatorShard shard = shards.get(partition);
        if (shard == null) {
            return Future.succeededFuture(Coordinator.error(Errors.COORDINATOR_NOT_AVAILABLE,
                    OffsetsTopic.NAME + "-" + partition + " is not open here yet"));
        }
        if (shard.status() == CoordinatorShard.Status.ACTIVE) {
            return Future.succeededFuture(found);
        }
        // A partition that has just been created or moved here usually loads in milliseconds.
        Promise<Coordinator> answer = Promise.promise();
        long timer = vertx.setTimer(FIND_COORDINATOR_LOAD_WAIT_MS, id -> answer.tryComplete(
                Coordinator.error(Errors.COORDINATOR_LOAD_IN_PROGRESS, "loading " + OffsetsTopic.NAME + "-" + partition)));
        shard.loaded().onComplete(ar -> {
            vertx.cancelTimer(timer);
            answer.tryComplete(ar.succeeded() && shard.status() == CoordinatorShard.Status.ACTIVE ? found
                    : Coordinator.error(Errors.COORDINATOR_LOAD_IN_PROGRESS, "loading " + OffsetsTopic.NAME));
        });
        return answer.future();
    }

    private Future<Void> createOffsetsTopic() {
        int brokers = Math.max(1, controller.image().liveBrokerIds().size());
        short replicationFactor = config.offsetsTopicReplicationFactor();
        if (replicationFactor > brokers) {
            log.warn("Creating {} with replication factor {}: only {} broker(s) are alive ({} = {})",
                    OffsetsTopic.NAME, brokers, brokers, GroupCoordinatorConfig.OFFSETS_TOPIC_REPLICATION_FACTOR,
                    replicationFactor);
            replicationFactor = (short) brokers;
        }
        NewTopic topic = new NewTopic(OffsetsTopic.NAME, config.offsetsTopicNumPartitions(), replicationFactor,
                Map.of(), Map.of("cleanup.policy", "compact",
                        "segment.bytes", String.valueOf(config.offsetsTopicSegmentBytes()),
                        "compression.type", "producer"));
        return controller.createTopics(List.of(topic), false).compose(results -> {
            var result = results.get(OffsetsTopic.NAME);
            Errors error = result == null ? Errors.UNKNOWN_SERVER_ERROR : result.error().error();
            if (error == Errors.NONE) {
                log.info("Created {} with {} partitions", OffsetsTopic.NAME, config.offsetsTopicNumPartitions());
                return Future.succeededFuture();
            }
            if (error == Errors.TOPIC_ALREADY_EXISTS) {
                return Future.succeededFuture();
            }
            return Future.failedFuture(error.exception(result.error().message()));
        });
    }

    // ------------------------------------------------------------------ group APIs

    private <T> Future<T> onShardOf(String groupId, BiFunction<GroupShard, Long, CoordinatorResult<T>> op) {
        if (groupId == null) {
            return Future.failedFuture(new org.apache.kafka.common.errors.InvalidGroupIdException("no group id"));
        }
        return onShard(partitionFor(groupId), op);
    }

    private <T> Future<T> onShard(int partition, BiFunction<GroupShard, Long, CoordinatorResult<T>> op) {
        CoordinatorShard shard = shards.get(partition);
        if (shard == null) {
            return Future.failedFuture(new NotCoordinatorException(
                    "this broker does not coordinate groups of " + OffsetsTopic.NAME + "-" + partition));
        }
        return shard.run(op);
    }

    public Future<JoinGroupResponseData> joinGroup(RequestMeta meta, JoinGroupRequestData request) {
        Promise<JoinGroupResponseData> response = Promise.promise();
        onShardOf(request.groupId(), (shard, now) -> shard.joinGroup(meta, request, response::tryComplete, now))
                .onFailure(response::tryFail);
        return response.future();
    }

    public Future<SyncGroupResponseData> syncGroup(SyncGroupRequestData request) {
        Promise<SyncGroupResponseData> response = Promise.promise();
        onShardOf(request.groupId(), (shard, now) -> shard.syncGroup(request, response::tryComplete, now))
                .onFailure(response::tryFail);
        return response.future();
    }

    public Future<HeartbeatResponseData> heartbeat(HeartbeatRequestData request) {
        return onShardOf(request.groupId(), (shard, now) -> shard.heartbeat(request, now));
    }

    public Future<LeaveGroupResponseData> leaveGroup(String groupId, List<MemberIdentity> members) {
        return onShardOf(groupId, (shard, now) -> shard.leaveGroup(groupId, members, now));
    }

    /** OffsetCommit with topics named and known (the handler resolves ids and unknown topics). */
    public Future<OffsetCommitResponseData> commitOffsets(OffsetCommitRequestData request) {
        return onShardOf(request.groupId(), (shard, now) -> shard.commitOffsets(request, now));
    }

    public Future<OffsetFetchResponseGroup> fetchOffsets(OffsetFetchRequestGroup request) {
        return onShardOf(request.groupId(), (shard, now) -> new CoordinatorResult<>(shard.fetchOffsets(request),
                List.of(), List.of()));
    }

    public Future<DescribedGroup> describeGroup(String groupId) {
        return onShardOf(groupId, (shard, now) -> new CoordinatorResult<>(shard.describeGroup(groupId),
                List.of(), List.of()));
    }

    public Future<List<DeletableGroupResult>> deleteGroups(String groupId) {
        return onShardOf(groupId, (shard, now) -> shard.deleteGroups(List.of(groupId), now));
    }

    public Future<OffsetDeleteResponseData> deleteOffsets(OffsetDeleteRequestData request) {
        return onShardOf(request.groupId(), (shard, now) -> shard.deleteOffsets(request));
    }

    /** The groups of every shard here; a shard still loading makes the answer COORDINATOR_LOAD_IN_PROGRESS. */
    public Future<ListedGroups> listGroups(Set<String> states, Set<String> types) {
        List<Future<List<ListedGroup>>> parts = new ArrayList<>();
        boolean loading = false;
        for (CoordinatorShard shard : shards.values()) {
            if (shard.status() == CoordinatorShard.Status.LOADING) {
                loading = true;
            } else {
                parts.add(shard.run((s, now) -> new CoordinatorResult<>(s.listGroups(states, types), List.of(),
                        List.of())));
            }
        }
        Errors error = loading ? Errors.COORDINATOR_LOAD_IN_PROGRESS : Errors.NONE;
        return Future.join(parts).transform(ar -> {
            List<ListedGroup> all = new ArrayList<>();
            for (Future<List<ListedGroup>> part : parts) {
                if (part.succeeded()) {
                    all.addAll(part.result());
                }
            }
            return Future.succeededFuture(new ListedGroups(error, all));
        });
    }

    /**
     * Snapshots of every group coordinated here, each taken on its shard's owner context, for the
     * metrics. Shards still loading are left out.
     */
    public Future<List<GroupSnapshot>> snapshots() {
        List<Future<List<GroupSnapshot>>> parts = new ArrayList<>();
        for (CoordinatorShard shard : shards.values()) {
            if (shard.status() == CoordinatorShard.Status.ACTIVE) {
                parts.add(shard.run((s, now) -> new CoordinatorResult<>(s.snapshot(), List.of(), List.of())));
            }
        }
        return Future.join(parts).transform(ar -> {
            List<GroupSnapshot> all = new ArrayList<>();
            for (Future<List<GroupSnapshot>> part : parts) {
                if (part.succeeded()) {
                    all.addAll(part.result());
                }
            }
            return Future.succeededFuture(all);
        });
    }

    /** ListGroups' answer: the groups, and an error when some shard could not be listed. */
    public record ListedGroups(Errors error, List<ListedGroup> groups) {
    }
}
