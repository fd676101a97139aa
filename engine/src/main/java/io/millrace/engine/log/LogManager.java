package io.millrace.engine.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns every partition log under the broker's {@code log.dirs}: opens them at start (recovering
 * after an unclean stop, in parallel), creates and deletes them, and runs the background work on
 * its own named threads: retention ({@code log.retention.check.interval.ms}), compaction
 * ({@code log.cleaner.*}), {@code flush.ms} flushes, recovery-point and log-start-offset
 * checkpoints, producer-id expiry, delayed file deletion.
 *
 * <p>Each log directory holds, beside the {@code <topic>-<partition>} directories, Kafka's
 * {@code recovery-point-offset-checkpoint} and {@code log-start-offset-checkpoint} files and,
 * after a clean shutdown, the {@code .kafka_cleanshutdown} marker that lets the next start skip
 * recovery.
 *
 * <p>Thread-safe.
 */
public final class LogManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogManager.class);
    static final String RECOVERY_POINT_CHECKPOINT = "recovery-point-offset-checkpoint";
    static final String LOG_START_OFFSET_CHECKPOINT = "log-start-offset-checkpoint";
    static final String CLEAN_SHUTDOWN_FILE = ".kafka_cleanshutdown";
    static final String DELETE_DIR_SUFFIX = "-delete";

    private final List<Path> logDirs;
    private final Map<String, ?> brokerProps;
    private final Time time;
    private final LogManagerConfig managerConfig;
    private final Function<String, Map<String, ?>> topicOverrides;
    /** Each topic's config, parsed once while the logs open at start (then cleared). */
    private final Map<String, LogConfig> configsAtOpen = new ConcurrentHashMap<>();
    private final Map<TopicPartition, PartitionLog> logs = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Path> logDirOf = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor scheduler;
    private final LogScheduler logScheduler;
    private final LogCleaner cleaner;
    private final CleanerOffsetCheckpoints cleanerCheckpoints = new CleanerOffsetCheckpoints();
    private final Object checkpointLock = new Object();
    private volatile boolean closed;

    private LogManager(List<Path> logDirs, Map<String, ?> brokerProps, Time time,
                       Function<String, Map<String, ?>> topicOverrides) {
        this.logDirs = List.copyOf(logDirs);
        this.brokerProps = Map.copyOf(brokerProps);
        this.time = time;
        this.topicOverrides = topicOverrides;
        this.managerConfig = LogManagerConfig.fromMap(brokerProps);
        this.scheduler = new ScheduledThreadPoolExecutor(2, named("millrace-log-scheduler"));
        this.scheduler.setRemoveOnCancelPolicy(true);
        // At shutdown, pending delayed work (file deletions after file.delete.delay.ms) is dropped,
        // not waited for: the next start removes leftover .deleted files and -delete directories.
        this.scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.logScheduler = (name, task, delayMs) -> {
            if (!scheduler.isShutdown()) {
                scheduler.schedule(() -> runLogged(name, task), delayMs, TimeUnit.MILLISECONDS);
            }
        };
        this.cleaner = new LogCleaner(managerConfig, time, this::logs, cleanerCheckpoints);
    }

    /**
     * Opens every {@code <topic>-<partition>} directory under {@code logDirs} with the broker's
     * defaults as their config, and starts the background work.
     */
    public static LogManager open(List<Path> logDirs, Map<String, ?> brokerProps, Time time) {
        return open(logDirs, brokerProps, time, topic -> Map.of());
    }

    /**
     * As {@link #open(List, Map, Time)}, with each topic's config overrides (from the metadata) so
     * that logs open with their real config.
     */
    public static LogManager open(List<Path> logDirs, Map<String, ?> brokerProps, Time time,
                                  Function<String, Map<String, ?>> topicOverrides) {
        if (logDirs.isEmpty()) {
            throw new IllegalArgumentException("log.dirs is empty");
        }
        LogManager manager = new LogManager(logDirs, brokerProps, time, topicOverrides);
        try {
            manager.loadLogs();
            manager.forgetCleanerCheckpointsOfMissingLogs();
        } catch (RuntimeException e) {
            manager.scheduler.shutdownNow();
            awaitTermination(manager.scheduler);
            throw e;
        }
        manager.startBackgroundWork();
        return manager;
    }

    private void loadLogs() {
        long startNanos = System.nanoTime();
        List<Future<?>> pending = new ArrayList<>();
        ExecutorService recovery = Executors.newFixedThreadPool(
            managerConfig.recoveryThreadsPerDataDir() * logDirs.size(), named("millrace-log-recovery"));
        try {
            for (Path logDir : logDirs) {
                Files.createDirectories(logDir);
                Path marker = logDir.resolve(CLEAN_SHUTDOWN_FILE);
                boolean clean = Files.exists(marker);
                Map<TopicPartition, Long> recoveryPoints = readCheckpoint(logDir.resolve(RECOVERY_POINT_CHECKPOINT));
                Map<TopicPartition, Long> startOffsets = readCheckpoint(logDir.resolve(LOG_START_OFFSET_CHECKPOINT));
                for (Path partitionDir : listDirs(logDir)) {
                    String name = partitionDir.getFileName().toString();
                    if (name.endsWith(DELETE_DIR_SUFFIX)) {
                        logScheduler.schedule("delete-dir-" + name, () -> deleteRecursively(partitionDir), 0);
                        continue;
                    }
                    TopicPartition tp;
                    try {
                        tp = PartitionLog.parseDirName(name);
                    } catch (IllegalArgumentException e) {
                        LOG.warn("Ignoring {} in {}: not a partition directory", name, logDir);
                        continue;
                    }
                    long rp = recoveryPoints.getOrDefault(tp, 0L);
                    long start = startOffsets.getOrDefault(tp, 0L);
                    pending.add(recovery.submit(() -> openLog(tp, logDir, partitionDir, rp, start, clean)));
                }
                // The marker stays valid only until something is written again.
                Files.deleteIfExists(marker);
            }
            for (Future<?> f : pending) {
                f.get();
            }
            LOG.info("Opened {} logs in {} ms ({} thread(s) per log dir)", pending.size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), managerConfig.recoveryThreadsPerDataDir());
        } catch (IOException e) {
            throw new KafkaStorageException("cannot open log dirs " + logDirs, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException re ? re : new KafkaStorageException("cannot open logs", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaStorageException("interrupted while opening logs", e);
        } finally {
            recovery.shutdownNow();
            awaitTermination(recovery);
            configsAtOpen.clear();
        }
    }

    private static void awaitTermination(ExecutorService executor) {
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Log threads still running 30 s after their shutdown: {}", executor);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Void openLog(TopicPartition tp, Path logDir, Path partitionDir, long rp, long start, boolean clean)
        throws IOException {
        LogConfig config = configsAtOpen.computeIfAbsent(tp.topic(),
            topic -> LogConfig.fromBrokerAndTopic(brokerProps, topicOverrides.apply(topic)));
        PartitionLog log = PartitionLog.open(tp, partitionDir, config, time, logScheduler, rp, start, clean,
            managerConfig.producerIdExpirationMs());
        register(tp, logDir, log);
        return null;
    }

    private void register(TopicPartition tp, Path logDir, PartitionLog log) {
        log.onTruncation(offset -> cleanerCheckpoints.maybeTruncate(logDir, tp, offset));
        logs.put(tp, log);
        logDirOf.put(tp, logDir);
    }

    /** Entries of {@code cleaner-offset-checkpoint} whose log is gone (a deletion cut short by a crash). */
    private void forgetCleanerCheckpointsOfMissingLogs() {
        for (Path logDir : logDirs) {
            Set<TopicPartition> present = new HashSet<>();
            logDirOf.forEach((tp, dir) -> {
                if (dir.equals(logDir)) {
                    present.add(tp);
                }
            });
            cleanerCheckpoints.retainOnly(logDir, present);
        }
    }

    private void startBackgroundWork() {
        every("retention", managerConfig.retentionCheckIntervalMs(), this::deleteOldSegments);
        every("flush", managerConfig.flushSchedulerIntervalMs(), this::flushDirtyLogs);
        every("recovery-point-checkpoint", managerConfig.recoveryPointCheckpointIntervalMs(), this::checkpoint);
        every("log-start-offset-checkpoint", managerConfig.startOffsetCheckpointIntervalMs(), this::checkpoint);
        every("producer-expiration", managerConfig.producerIdExpirationCheckIntervalMs(),
            () -> logs.values().forEach(PartitionLog::removeExpiredProducers));
        if (managerConfig.cleanerEnable()) {
            cleaner.start();
        }
    }

    private void every(String name, long periodMs, Runnable task) {
        scheduler.scheduleWithFixedDelay(() -> runLogged(name, task), periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    private static void runLogged(String name, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("Background task {} failed", name, e);
        }
    }

    public Optional<PartitionLog> get(TopicPartition tp) {
        return Optional.ofNullable(logs.get(tp));
    }

    /** The log of {@code tp}, created with {@code config} in the log dir holding the fewest partitions. */
    public synchronized PartitionLog getOrCreate(TopicPartition tp, LogConfig config) {
        ensureOpen();
        PartitionLog existing = logs.get(tp);
        if (existing != null) {
            return existing;
        }
        Path logDir = leastLoadedLogDir();
        Path dir = logDir.resolve(PartitionLog.dirName(tp));
        try {
            PartitionLog log = PartitionLog.open(tp, dir, config, time, logScheduler, 0L, 0L, false,
                managerConfig.producerIdExpirationMs());
            CheckpointFile.fsyncDirectory(logDir);
            register(tp, logDir, log);
            LOG.info("Created log {} in {}", tp, logDir);
            return log;
        } catch (IOException e) {
            throw new KafkaStorageException("cannot create the log of " + tp + " in " + dir, e);
        }
    }

    private Path leastLoadedLogDir() {
        Map<Path, Integer> counts = new HashMap<>();
        logDirs.forEach(d -> counts.put(d, 0));
        logDirOf.values().forEach(d -> counts.merge(d, 1, Integer::sum));
        return logDirs.stream().min(Comparator.comparingInt(counts::get)).orElseThrow();
    }

    /**
     * Removes a partition's log: renames its directory {@code <tp>.<uuid>-delete} at once (so a
     * restart finishes the job) and deletes the files in the background.
     */
    public CompletableFuture<Void> delete(TopicPartition tp) {
        PartitionLog log;
        Path logDir;
        synchronized (this) {
            log = logs.remove(tp);
            logDir = logDirOf.remove(tp);
        }
        if (log == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        cleaner.abort(tp, logDir);
        log.closeForDeletion();
        try {
            Path renamed = logDir.resolve(PartitionLog.dirName(tp) + "." + UUID.randomUUID().toString().replace("-", "")
                + DELETE_DIR_SUFFIX);
            Files.move(log.dir(), renamed);
            CheckpointFile.fsyncDirectory(logDir);
            logScheduler.schedule("delete-" + tp, () -> {
                try {
                    deleteRecursively(renamed);
                    done.complete(null);
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            }, 0);
        } catch (IOException e) {
            done.completeExceptionally(new KafkaStorageException("cannot delete the log of " + tp, e));
        }
        return done;
    }

    public Collection<PartitionLog> logs() {
        return List.copyOf(logs.values());
    }

    /** Runs retention on every log now (the scheduler does it every log.retention.check.interval.ms). */
    public int deleteOldSegments() {
        int deleted = 0;
        for (PartitionLog log : logs.values()) {
            try {
                deleted += log.deleteOldSegments();
            } catch (KafkaStorageException e) {
                LOG.error("Retention of {} failed", log.topicPartition(), e);
            }
        }
        return deleted;
    }

    /** Compacts every log that needs it now, on the caller's thread (the cleaner threads do it on their own). */
    public int cleanLogsNow() {
        return cleaner.cleanAllOnce();
    }

    private void flushDirtyLogs() {
        long now = time.milliseconds();
        for (PartitionLog log : logs.values()) {
            if (!log.isClosed()) {
                log.maybeFlushByTime(now);
            }
        }
    }

    /** Writes the recovery points and log start offsets of every log to each log dir's checkpoints. */
    public void checkpoint() {
        synchronized (checkpointLock) {
            for (Path logDir : logDirs) {
                List<Map.Entry<TopicPartition, Long>> recovery = new ArrayList<>();
                List<Map.Entry<TopicPartition, Long>> starts = new ArrayList<>();
                logs.forEach((tp, log) -> {
                    if (logDir.equals(logDirOf.get(tp))) {
                        recovery.add(Map.entry(tp, log.recoveryPoint()));
                        starts.add(Map.entry(tp, log.logStartOffset()));
                    }
                });
                try {
                    CheckpointFile.offsets(logDir.resolve(RECOVERY_POINT_CHECKPOINT)).write(recovery);
                    CheckpointFile.offsets(logDir.resolve(LOG_START_OFFSET_CHECKPOINT)).write(starts);
                } catch (IOException e) {
                    LOG.error("Cannot write the checkpoints of {}", logDir, e);
                }
            }
        }
    }

    /** Clean shutdown: stops the background work, closes (and fsyncs) every log, writes the checkpoints and the marker. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        cleaner.shutdown();
        scheduler.shutdown();
        boolean allClean = true;
        for (PartitionLog log : logs.values()) {
            try {
                log.close();
            } catch (RuntimeException e) {
                allClean = false;
                LOG.error("Cannot close {} cleanly", log.topicPartition(), e);
            }
        }
        checkpoint();
        awaitTermination(scheduler);
        if (allClean) {
            for (Path logDir : logDirs) {
                try {
                    Files.write(logDir.resolve(CLEAN_SHUTDOWN_FILE), new byte[0]);
                    CheckpointFile.fsyncDirectory(logDir);
                } catch (IOException e) {
                    LOG.error("Cannot write the clean shutdown marker in {}", logDir, e);
                }
            }
        }
        LOG.info("Log manager closed ({} logs)", logs.size());
    }

    /**
     * Stops as a killed process would, for crash tests: the background threads stop and the
     * files close without fsync, checkpoints, producer snapshots or the clean-shutdown marker, so
     * the next {@link #open} recovers every log from its last checkpointed recovery point.
     */
    void halt() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        cleaner.shutdown();
        scheduler.shutdownNow();
        awaitTermination(scheduler);
        logs.values().forEach(PartitionLog::closeForDeletion);
    }

    private void ensureOpen() {
        if (closed) {
            throw new KafkaStorageException("the log manager is closed");
        }
    }

    private static Map<TopicPartition, Long> readCheckpoint(Path file) {
        Map<TopicPartition, Long> out = new HashMap<>();
        try {
            for (Map.Entry<TopicPartition, Long> e : CheckpointFile.offsets(file).read()) {
                out.put(e.getKey(), e.getValue());
            }
        } catch (IOException e) {
            LOG.warn("Ignoring unreadable checkpoint {} (logs will be recovered from their start): {}", file,
                e.getMessage());
        }
        return out;
    }

    private static List<Path> listDirs(Path logDir) throws IOException {
        try (Stream<Path> entries = Files.list(logDir)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new KafkaStorageException("cannot delete " + dir, e);
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
