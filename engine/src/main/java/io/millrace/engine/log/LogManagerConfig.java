package io.millrace.engine.log;

import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Broker-wide settings of the {@link LogManager}, with Kafka's names and defaults (the
 * topic-level {@code log.*} defaults are in {@link LogConfig#brokerDefaultKeys()}).
 *
 * <p>One difference from Kafka: {@code log.flush.scheduler.interval.ms} defaults to 1000 ms
 * instead of never, so that a topic's {@code flush.ms} takes effect without a second setting.
 *
 * <p>Immutable and thread-safe; a value that fails its validator raises {@code ConfigException}
 * naming the key.
 */
public record LogManagerConfig(long retentionCheckIntervalMs, boolean cleanerEnable, int cleanerThreads,
                        long cleanerBackoffMs, long cleanerDedupeBufferSize, long flushSchedulerIntervalMs,
                        long recoveryPointCheckpointIntervalMs, long startOffsetCheckpointIntervalMs,
                        long producerIdExpirationMs, long producerIdExpirationCheckIntervalMs,
                        int recoveryThreadsPerDataDir) {

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
        .define("log.retention.check.interval.ms", Type.LONG, 300_000L, atLeast(1), Importance.MEDIUM,
            "How often the log manager checks whether segments can be deleted by retention.")
        .define("log.cleaner.enable", Type.BOOLEAN, true, Importance.MEDIUM,
            "Run the log cleaner (compaction) for topics with cleanup.policy=compact.")
        .define("log.cleaner.threads", Type.INT, 1, atLeast(0), Importance.MEDIUM,
            "Background threads that compact logs.")
        .define("log.cleaner.backoff.ms", Type.LONG, 15_000L, atLeast(0), Importance.MEDIUM,
            "How long the cleaner sleeps when no log needs cleaning.")
        .define("log.cleaner.dedupe.buffer.size", Type.LONG, 128L * 1024 * 1024, atLeast(1024), Importance.MEDIUM,
            "Memory bound of one cleaning pass's key map, in bytes (about 40 bytes per distinct key).")
        .define("log.flush.scheduler.interval.ms", Type.LONG, 1000L, atLeast(1), Importance.MEDIUM,
            "How often logs are checked against their flush.ms.")
        .define("log.flush.offset.checkpoint.interval.ms", Type.LONG, 60_000L, atLeast(1), Importance.MEDIUM,
            "How often recovery points are checkpointed.")
        .define("log.flush.start.offset.checkpoint.interval.ms", Type.LONG, 60_000L, atLeast(1), Importance.MEDIUM,
            "How often log start offsets are checkpointed.")
        .define("producer.id.expiration.ms", Type.LONG, 86_400_000L, atLeast(1), Importance.MEDIUM,
            "How long a partition remembers an idle idempotent producer.")
        .define("producer.id.expiration.check.interval.ms", Type.LONG, 600_000L, atLeast(1), Importance.LOW,
            "How often expired producer ids are removed.")
        .define("num.recovery.threads.per.data.dir", Type.INT, 2, atLeast(1), Importance.MEDIUM,
            "Threads per log directory that open and recover logs at startup.");

    static LogManagerConfig fromMap(Map<String, ?> brokerProps) {
        Map<String, Object> known = new LinkedHashMap<>();
        brokerProps.forEach((k, v) -> {
            if (CONFIG_DEF.names().contains(k) && v != null) {
                known.put(k, v);
            }
        });
        Map<String, Object> v = CONFIG_DEF.parse(known);
        return new LogManagerConfig(
            (Long) v.get("log.retention.check.interval.ms"),
            (Boolean) v.get("log.cleaner.enable"),
            (Integer) v.get("log.cleaner.threads"),
            (Long) v.get("log.cleaner.backoff.ms"),
            (Long) v.get("log.cleaner.dedupe.buffer.size"),
            (Long) v.get("log.flush.scheduler.interval.ms"),
            (Long) v.get("log.flush.offset.checkpoint.interval.ms"),
            (Long) v.get("log.flush.start.offset.checkpoint.interval.ms"),
            (Long) v.get("producer.id.expiration.ms"),
            (Long) v.get("producer.id.expiration.check.interval.ms"),
            (Integer) v.get("num.recovery.threads.per.data.dir"));
    }
}
