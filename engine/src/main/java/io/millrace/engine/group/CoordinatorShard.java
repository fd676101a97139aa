package io.millrace.engine.group;

import io.millrace.engine.broker.HostedPartition;
import io.millrace.engine.group.record.GroupRecord;
import io.millrace.engine.group.record.GroupRecordSerde;
import io.millrace.engine.group.record.InvalidGroupRecordException;
import io.millrace.engine.group.state.CoordinatorResult;
import io.millrace.engine.group.state.GroupShard;
import io.millrace.engine.group.state.Reply;
import io.millrace.engine.log.FetchDataInfo;
import io.millrace.engine.log.PartitionLog;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.BiFunction;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IO around one {@link GroupShard}: it loads the shard by replaying its
 * {@code __consumer_offsets} partition, runs every call on the partition's owner context (so the
 * shard and the log have one writer), appends the records a call produced before its responses
 * go out, and turns the shard's next deadline into one Vert.x timer.
 *
 * <pre>
 *   LOADING --(replayed)--&gt; ACTIVE --(resign / close)--&gt; CLOSED
 *      ^                       |
 *      +---(a write failed: the log is the truth, replay it again)
 * </pre>
 *
 * <p>Threading: {@link #run} and {@link #close} may be called from any thread; the shard itself is
 * touched only on the owner context.
 */
final class CoordinatorShard {

    private static final Logger log = LoggerFactory.getLogger(CoordinatorShard.class);

    enum Status { LOADING, ACTIVE, CLOSED }

    private final int partition;
    private final HostedPartition hosted;
    private final int leaderEpoch;
    private final GroupCoordinatorConfig config;
    private final Vertx vertx;
    private final Time time;
    private volatile Status status = Status.LOADING;
    private volatile Future<Void> loaded;
    // owner context only
    private GroupShard shard;
    private long timerId = -1;
    private long timerDeadlineMs = Long.MAX_VALUE;

    CoordinatorShard(int partition, HostedPartition hosted, int leaderEpoch, GroupCoordinatorConfig config,
                     Vertx vertx, Time time) {
        this.partition = partition;
        this.hosted = hosted;
        this.leaderEpoch = leaderEpoch;
        this.config = config;
        this.vertx = vertx;
        this.time = time;
    }

    int partition() {
        return partition;
    }

    int leaderEpoch() {
        return leaderEpoch;
    }

    HostedPartition hosted() {
        return hosted;
    }

    Status status() {
        return status;
    }

    /** Completes when the shard serves requests (or fails/never completes if it closed first). */
    Future<Void> loaded() {
        return loaded;
    }

    // ------------------------------------------------------------------ loading

    /** Replays the partition on a worker thread, then installs the shard on the owner context. */
    Future<Void> load() {
        long startMs = time.milliseconds();
        Future<Void> f = vertx.executeBlocking(this::replayLog, false).compose(built -> hosted.onOwner(() -> {
            if (status == Status.CLOSED) {
                return null;
            }
            shard = built;
            status = Status.ACTIVE;
            log.info("Loaded {} groups of {}-{} in {} ms", built.groupCount(), OffsetsTopic.NAME, partition,
                    time.milliseconds() - startMs);
            // Starts the loaded members' sessions (and anything that writes goes through the log).
            apply((s, now) -> s.onLoaded(now), Promise.promise());
            return null;
        }));
        f.onFailure(e -> log.error("Loading {}-{} failed; it is not served until the broker leads it again",
                OffsetsTopic.NAME, partition, e));
        loaded = f;
        return f;
    }

    private GroupShard replayLog() {
        GroupShard built = new GroupShard(partition, config, () -> java.util.UUID.randomUUID().toString());
        PartitionLog partitionLog = hosted.log();
        long offset = partitionLog.logStartOffset();
        long end = partitionLog.logEndOffset();
        long nowMs = time.milliseconds();
        while (offset < end && status != Status.CLOSED) {
            FetchDataInfo data = partitionLog.read(offset, config.offsetsLoadBufferSize(), end, true);
            long before = offset;
            for (RecordBatch batch : data.records().batches()) {
                if (!batch.isControlBatch()) {
                    for (Record record : batch) {
                        if (record.offset() >= offset) {
                            replayRecord(built, record, nowMs);
                        }
                    }
                }
                offset = Math.max(offset, batch.nextOffset());
            }
            if (offset == before) {
                break;
            }
        }
        return built;
    }

    private void replayRecord(GroupShard built, Record record, long nowMs) {
        try {
            GroupRecordSerde.deserialize(record.key(), record.value()).ifPresentOrElse(
                    r -> built.replay(r, nowMs),
                    () -> log.debug("Skipping a record of a type this coordinator does not use at {}-{} offset {}",
                            OffsetsTopic.NAME, partition, record.offset()));
        } catch (InvalidGroupRecordException e) {
            log.error("Skipping an unreadable record at {}-{} offset {}: {}", OffsetsTopic.NAME, partition,
                    record.offset(), e.getMessage());
        }
    }

    // ------------------------------------------------------------------ calls

    /**
     * Runs {@code op} on the shard. The future fails with COORDINATOR_LOAD_IN_PROGRESS or
     * NOT_COORDINATOR when the shard does not serve, and with the mapped write error when its
     * records could not be appended; replies of parked requests are delivered (or failed) either way.
     */
    <T> Future<T> run(BiFunction<GroupShard, Long, CoordinatorResult<T>> op) {
        Promise<T> promise = Promise.promise();
        Status s = status;
        if (s != Status.ACTIVE) {
            promise.fail(notServing(s));
            return promise.future();
        }
        hosted.onOwner(() -> {
            apply(op, promise);
            return null;
        }).onFailure(promise::tryFail);
        return promise.future();
    }

    private static RuntimeException notServing(Status s) {
        return s == Status.LOADING
                ? new CoordinatorLoadInProgressException("the group coordinator is loading its offsets partition")
                : new NotCoordinatorException("this broker no longer coordinates the group");
    }

    private <T> void apply(BiFunction<GroupShard, Long, CoordinatorResult<T>> op, Promise<T> promise) {
        if (status != Status.ACTIVE) {
            promise.fail(notServing(status));
            return;
        }
        long nowMs = time.milliseconds();
        CoordinatorResult<T> result;
        try {
            result = op.apply(shard, nowMs);
        } catch (RuntimeException e) {
            log.error("The group coordinator of {}-{} failed; reloading it from the log", OffsetsTopic.NAME,
                    partition, e);
            promise.fail(e);
            reload();
            return;
        }
        if (result.records().isEmpty()) {
            deliver(result);
            promise.complete(result.response());
            rearmTimer();
            return;
        }
        append(result.records(), nowMs).onComplete(ar -> {
            if (ar.succeeded()) {
                deliver(result);
                promise.complete(result.response());
            } else {
                Errors error = WriteErrors.map(ar.cause());
                log.warn("Writing {} records to {}-{} failed ({}); reloading the groups from the log",
                        result.records().size(), OffsetsTopic.NAME, partition, error, ar.cause());
                result.replies().forEach(r -> r.fail(error));
                promise.fail(error.exception());
                reload();
            }
        });
        rearmTimer();
    }

    private Future<Void> append(List<GroupRecord> records, long nowMs) {
        SimpleRecord[] simple = new SimpleRecord[records.size()];
        for (int i = 0; i < simple.length; i++) {
            GroupRecord r = records.get(i);
            simple[i] = new SimpleRecord(nowMs, GroupRecordSerde.serializeKey(r), GroupRecordSerde.serializeValue(r));
        }
        try {
            // acks=all: a commit or an assignment is answered once every in-sync replica has it, so
            // a coordinator failover never loses what a member was told.
            return hosted.appendAsLeader(MemoryRecords.withRecords(Compression.NONE, simple), (short) -1,
                    config.offsetsCommitTimeoutMs()).mapEmpty();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    private static void deliver(CoordinatorResult<?> result) {
        for (Reply<?> reply : result.replies()) {
            try {
                reply.deliver();
            } catch (RuntimeException e) {
                log.warn("Delivering a group response failed", e);
            }
        }
    }

    // ------------------------------------------------------------------ time

    /** Arms one timer for the shard's earliest deadline. Owner context only. */
    private void rearmTimer() {
        if (status != Status.ACTIVE) {
            return;
        }
        OptionalLong next = shard.nextDeadlineMs();
        long deadline = next.orElse(Long.MAX_VALUE);
        if (deadline == timerDeadlineMs) {
            return;
        }
        cancelTimer();
        if (next.isPresent()) {
            timerDeadlineMs = deadline;
            long delayMs = Math.max(1, deadline - time.milliseconds());
            timerId = vertx.setTimer(delayMs, id -> hosted.onOwner(() -> {
                onTimer(id);
                return null;
            }));
        }
    }

    private void cancelTimer() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        timerId = -1;
        timerDeadlineMs = Long.MAX_VALUE;
    }

    private void onTimer(long id) {
        if (id != timerId || status != Status.ACTIVE) {
            return;
        }
        timerId = -1;
        timerDeadlineMs = Long.MAX_VALUE;
        Promise<Void> ignored = Promise.promise();
        apply((s, now) -> s.advanceTime(now), ignored);
    }

    // ------------------------------------------------------------------ leaving

    /**
     * Stops serving: parked requests get NOT_COORDINATOR, the timer stops, the state is dropped.
     * Completes on the owner context.
     */
    Future<Void> close() {
        status = Status.CLOSED;
        return hosted.onOwner(() -> {
            dropShard();
            return null;
        });
    }

    private void dropShard() {
        cancelTimer();
        if (shard != null) {
            deliver(shard.unload());
            shard = null;
        }
    }

    /** A write failed: what the shard holds may differ from the log, so replay the log. Owner only. */
    private void reload() {
        if (status == Status.CLOSED) {
            return;
        }
        dropShard();
        status = Status.LOADING;
        load();
    }

    @Override
    public String toString() {
        return OffsetsTopic.NAME + "-" + partition + " (" + status + ", leader epoch " + leaderEpoch + ")";
    }
}
