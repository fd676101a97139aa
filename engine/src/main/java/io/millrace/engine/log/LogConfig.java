package io.millrace.engine.log;

import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidList;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;

/**
 * The topic-level configuration of a partition log, with Apache Kafka's names and defaults.
 *
 * <p>Immutable and thread-safe. Built from topic overrides over broker-wide defaults
 * ({@link #fromBrokerAndTopic}); a value that fails its validator raises
 * {@link ConfigException} naming the key.
 *
 * <p>One deliberate difference from Kafka 4: {@code segment.bytes} accepts values down to the
 * size of one empty record batch (61 bytes) instead of 1 MiB, so that tests and small
 * deployments can roll segments quickly.
 */
public final class LogConfig {

    /** {@code cleanup.policy} values. */
    public static final String COMPACT = TopicConfig.CLEANUP_POLICY_COMPACT;
    public static final String DELETE = TopicConfig.CLEANUP_POLICY_DELETE;

    /** {@code compression.type=producer}: keep whatever codec the producer used. */
    public static final String PRODUCER_COMPRESSION = "producer";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
        .define(TopicConfig.SEGMENT_BYTES_CONFIG, Type.INT, 1024 * 1024 * 1024,
            atLeast(DefaultRecordBatch.RECORD_BATCH_OVERHEAD), Importance.MEDIUM, TopicConfig.SEGMENT_BYTES_DOC)
        .define(TopicConfig.SEGMENT_MS_CONFIG, Type.LONG, 7 * 24 * 3600 * 1000L, atLeast(1),
            Importance.MEDIUM, TopicConfig.SEGMENT_MS_DOC)
        .define(TopicConfig.SEGMENT_JITTER_MS_CONFIG, Type.LONG, 0L, atLeast(0), Importance.MEDIUM,
            TopicConfig.SEGMENT_JITTER_MS_DOC)
        .define(TopicConfig.SEGMENT_INDEX_BYTES_CONFIG, Type.INT, 10 * 1024 * 1024, atLeast(12),
            Importance.MEDIUM, TopicConfig.SEGMENT_INDEX_BYTES_DOC)
        .define(TopicConfig.INDEX_INTERVAL_BYTES_CONFIG, Type.INT, 4096, atLeast(0), Importance.MEDIUM,
            TopicConfig.INDEX_INTERVAL_BYTES_DOC)
        .define(TopicConfig.RETENTION_MS_CONFIG, Type.LONG, 7 * 24 * 3600 * 1000L, atLeast(-1),
            Importance.MEDIUM, TopicConfig.RETENTION_MS_DOC)
        .define(TopicConfig.RETENTION_BYTES_CONFIG, Type.LONG, -1L, Importance.MEDIUM,
            TopicConfig.RETENTION_BYTES_DOC)
        .define(TopicConfig.CLEANUP_POLICY_CONFIG, Type.LIST, DELETE, ValidList.in(COMPACT, DELETE),
            Importance.MEDIUM, TopicConfig.CLEANUP_POLICY_DOC)
        .define(TopicConfig.DELETE_RETENTION_MS_CONFIG, Type.LONG, 24 * 3600 * 1000L, atLeast(0),
            Importance.MEDIUM, TopicConfig.DELETE_RETENTION_MS_DOC)
        .define(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, Type.LONG, 0L, atLeast(0), Importance.MEDIUM,
            TopicConfig.MIN_COMPACTION_LAG_MS_DOC)
        .define(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, Type.LONG, Long.MAX_VALUE, atLeast(1),
            Importance.MEDIUM, TopicConfig.MAX_COMPACTION_LAG_MS_DOC)
        .define(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, Type.DOUBLE, 0.5, between(0, 1),
            Importance.MEDIUM, TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_DOC)
        .define(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Type.INT, 1024 * 1024 + 12, atLeast(0),
            Importance.MEDIUM, TopicConfig.MAX_MESSAGE_BYTES_DOC)
        .define(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, Type.STRING, TimestampType.CREATE_TIME.name,
            ValidString.in(TimestampType.CREATE_TIME.name, TimestampType.LOG_APPEND_TIME.name),
            Importance.MEDIUM, TopicConfig.MESSAGE_TIMESTAMP_TYPE_DOC)
        .define(TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG, Type.LONG, Long.MAX_VALUE, atLeast(0),
            Importance.MEDIUM, TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_DOC)
        .define(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, Type.LONG, 3600 * 1000L, atLeast(0),
            Importance.MEDIUM, TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_DOC)
        .define(TopicConfig.FLUSH_MESSAGES_INTERVAL_CONFIG, Type.LONG, Long.MAX_VALUE, atLeast(1),
            Importance.MEDIUM, TopicConfig.FLUSH_MESSAGES_INTERVAL_DOC)
        .define(TopicConfig.FLUSH_MS_CONFIG, Type.LONG, Long.MAX_VALUE, atLeast(0), Importance.MEDIUM,
            TopicConfig.FLUSH_MS_DOC)
        .define(TopicConfig.FILE_DELETE_DELAY_MS_CONFIG, Type.LONG, 60_000L, atLeast(0), Importance.MEDIUM,
            TopicConfig.FILE_DELETE_DELAY_MS_DOC)
        .define(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Type.INT, 1, atLeast(1), Importance.MEDIUM,
            TopicConfig.MIN_IN_SYNC_REPLICAS_DOC)
        .define(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, Type.BOOLEAN, false, Importance.MEDIUM,
            TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_DOC)
        .define(TopicConfig.COMPRESSION_TYPE_CONFIG, Type.STRING, PRODUCER_COMPRESSION,
            ValidString.in("uncompressed", "gzip", "snappy", "lz4", "zstd", PRODUCER_COMPRESSION),
            Importance.MEDIUM, TopicConfig.COMPRESSION_TYPE_DOC)
        .define(TopicConfig.COMPRESSION_GZIP_LEVEL_CONFIG, Type.INT, CompressionType.GZIP.defaultLevel(),
            CompressionType.GZIP.levelValidator(), Importance.MEDIUM, TopicConfig.COMPRESSION_GZIP_LEVEL_DOC)
        .define(TopicConfig.COMPRESSION_LZ4_LEVEL_CONFIG, Type.INT, CompressionType.LZ4.defaultLevel(),
            CompressionType.LZ4.levelValidator(), Importance.MEDIUM, TopicConfig.COMPRESSION_LZ4_LEVEL_DOC)
        .define(TopicConfig.COMPRESSION_ZSTD_LEVEL_CONFIG, Type.INT, CompressionType.ZSTD.defaultLevel(),
            CompressionType.ZSTD.levelValidator(), Importance.MEDIUM, TopicConfig.COMPRESSION_ZSTD_LEVEL_DOC)
        .define(TopicConfig.PREALLOCATE_CONFIG, Type.BOOLEAN, false, Importance.MEDIUM,
            TopicConfig.PREALLOCATE_DOC);

    /**
     * Broker key to topic key, as Kafka's {@code ServerTopicConfigSynonyms}. Where several broker
     * keys feed one topic key, the finer unit wins ({@code log.retention.ms} over
     * {@code .minutes} over {@code .hours}); {@link #fromBrokerAndTopic} converts the units.
     */
    private static final Map<String, String> BROKER_KEYS;
    /** Multiplier to milliseconds for the broker keys given in coarser units. */
    private static final Map<String, Long> BROKER_KEY_UNITS_MS = Map.of(
        "log.roll.hours", 3_600_000L,
        "log.roll.jitter.hours", 3_600_000L,
        "log.retention.minutes", 60_000L,
        "log.retention.hours", 3_600_000L);

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("log.segment.bytes", TopicConfig.SEGMENT_BYTES_CONFIG);
        m.put("log.roll.ms", TopicConfig.SEGMENT_MS_CONFIG);
        m.put("log.roll.hours", TopicConfig.SEGMENT_MS_CONFIG);
        m.put("log.roll.jitter.ms", TopicConfig.SEGMENT_JITTER_MS_CONFIG);
        m.put("log.roll.jitter.hours", TopicConfig.SEGMENT_JITTER_MS_CONFIG);
        m.put("log.index.size.max.bytes", TopicConfig.SEGMENT_INDEX_BYTES_CONFIG);
        m.put("log.index.interval.bytes", TopicConfig.INDEX_INTERVAL_BYTES_CONFIG);
        m.put("log.retention.ms", TopicConfig.RETENTION_MS_CONFIG);
        m.put("log.retention.minutes", TopicConfig.RETENTION_MS_CONFIG);
        m.put("log.retention.hours", TopicConfig.RETENTION_MS_CONFIG);
        m.put("log.retention.bytes", TopicConfig.RETENTION_BYTES_CONFIG);
        m.put("log.cleanup.policy", TopicConfig.CLEANUP_POLICY_CONFIG);
        m.put("log.cleaner.delete.retention.ms", TopicConfig.DELETE_RETENTION_MS_CONFIG);
        m.put("log.cleaner.min.compaction.lag.ms", TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG);
        m.put("log.cleaner.max.compaction.lag.ms", TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG);
        m.put("log.cleaner.min.cleanable.ratio", TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG);
        m.put("message.max.bytes", TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        m.put("log.message.timestamp.type", TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG);
        m.put("log.message.timestamp.before.max.ms", TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG);
        m.put("log.message.timestamp.after.max.ms", TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG);
        m.put("log.flush.interval.messages", TopicConfig.FLUSH_MESSAGES_INTERVAL_CONFIG);
        m.put("log.flush.interval.ms", TopicConfig.FLUSH_MS_CONFIG);
        m.put("log.segment.delete.delay.ms", TopicConfig.FILE_DELETE_DELAY_MS_CONFIG);
        m.put("min.insync.replicas", TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
        m.put("unclean.leader.election.enable", TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG);
        m.put("compression.type", TopicConfig.COMPRESSION_TYPE_CONFIG);
        m.put("compression.gzip.level", TopicConfig.COMPRESSION_GZIP_LEVEL_CONFIG);
        m.put("compression.lz4.level", TopicConfig.COMPRESSION_LZ4_LEVEL_CONFIG);
        m.put("compression.zstd.level", TopicConfig.COMPRESSION_ZSTD_LEVEL_CONFIG);
        m.put("log.preallocate", TopicConfig.PREALLOCATE_CONFIG);
        BROKER_KEYS = Collections.unmodifiableMap(m);
    }

    private final Map<String, Object> values;
    private final boolean compact;
    private final boolean delete;
    private final TimestampType timestampType;

    private LogConfig(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        @SuppressWarnings("unchecked")
        List<String> policies = (List<String>) values.get(TopicConfig.CLEANUP_POLICY_CONFIG);
        this.compact = policies.contains(COMPACT);
        this.delete = policies.contains(DELETE);
        this.timestampType = TimestampType.forName((String) values.get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG));
    }

    /** Kafka's defaults for every key. */
    public static LogConfig defaults() {
        return fromMap(Map.of());
    }

    /**
     * Parses topic configs; missing keys take their defaults.
     *
     * @throws ConfigException for an unknown type, a value out of range or an unknown key's value
     *     that does not parse; keys this class does not know are ignored, as Kafka does
     */
    public static LogConfig fromMap(Map<String, ?> props) {
        Map<String, Object> known = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : props.entrySet()) {
            if (CONFIG_DEF.names().contains(e.getKey()) && e.getValue() != null) {
                known.put(e.getKey(), e.getValue());
            }
        }
        return new LogConfig(CONFIG_DEF.parse(known));
    }

    /** Broker key to the topic key it gives the default of (see the class comment). */
    public static Map<String, String> brokerDefaultKeys() {
        return BROKER_KEYS;
    }

    /**
     * The effective config of a topic: its overrides, over the broker's {@code log.*} defaults,
     * over Kafka's defaults.
     */
    public static LogConfig fromBrokerAndTopic(Map<String, ?> brokerProps, Map<String, ?> topicOverrides) {
        Map<String, Object> merged = new LinkedHashMap<>(brokerDefaults(brokerProps));
        topicOverrides.forEach((k, v) -> {
            if (v != null) {
                merged.put(k, v);
            }
        });
        return fromMap(merged);
    }

    /** Topic-keyed defaults taken from broker properties, coarse units first so finer ones win. */
    static Map<String, Object> brokerDefaults(Map<String, ?> brokerProps) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> order = BROKER_KEYS.keySet().stream()
            .sorted((a, b) -> Integer.compare(unitRank(a), unitRank(b)))
            .toList();
        for (String brokerKey : order) {
            Object value = brokerProps.get(brokerKey);
            if (value == null) {
                continue;
            }
            Long unitMs = BROKER_KEY_UNITS_MS.get(brokerKey);
            if (unitMs != null) {
                long n = parseLong(brokerKey, value);
                value = n < 0 ? n : Math.multiplyExact(n, unitMs);
            }
            out.put(BROKER_KEYS.get(brokerKey), value);
        }
        return out;
    }

    private static int unitRank(String brokerKey) {
        if (brokerKey.endsWith(".hours")) {
            return 0;
        }
        return brokerKey.endsWith(".minutes") ? 1 : 2;
    }

    private static long parseLong(String key, Object value) {
        try {
            return value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, value, "Not a number");
        }
    }

    /** A copy with {@code overrides} applied on top. */
    public LogConfig with(Map<String, ?> overrides) {
        Map<String, Object> merged = new LinkedHashMap<>(values);
        merged.putAll(overrides);
        return fromMap(merged);
    }

    /** Every topic key with its effective value (lists stay lists). */
    public Map<String, Object> values() {
        return values;
    }

    public int segmentBytes() {
        return (Integer) values.get(TopicConfig.SEGMENT_BYTES_CONFIG);
    }

    public long segmentMs() {
        return (Long) values.get(TopicConfig.SEGMENT_MS_CONFIG);
    }

    public long segmentJitterMs() {
        return (Long) values.get(TopicConfig.SEGMENT_JITTER_MS_CONFIG);
    }

    public int segmentIndexBytes() {
        return (Integer) values.get(TopicConfig.SEGMENT_INDEX_BYTES_CONFIG);
    }

    public int indexIntervalBytes() {
        return (Integer) values.get(TopicConfig.INDEX_INTERVAL_BYTES_CONFIG);
    }

    public long retentionMs() {
        return (Long) values.get(TopicConfig.RETENTION_MS_CONFIG);
    }

    public long retentionBytes() {
        return (Long) values.get(TopicConfig.RETENTION_BYTES_CONFIG);
    }

    public boolean compact() {
        return compact;
    }

    public boolean delete() {
        return delete;
    }

    public long deleteRetentionMs() {
        return (Long) values.get(TopicConfig.DELETE_RETENTION_MS_CONFIG);
    }

    public long minCompactionLagMs() {
        return (Long) values.get(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG);
    }

    public long maxCompactionLagMs() {
        return (Long) values.get(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG);
    }

    public double minCleanableDirtyRatio() {
        return (Double) values.get(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG);
    }

    public int maxMessageBytes() {
        return (Integer) values.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
    }

    public TimestampType messageTimestampType() {
        return timestampType;
    }

    public long messageTimestampBeforeMaxMs() {
        return (Long) values.get(TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG);
    }

    public long messageTimestampAfterMaxMs() {
        return (Long) values.get(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG);
    }

    public long flushMessages() {
        return (Long) values.get(TopicConfig.FLUSH_MESSAGES_INTERVAL_CONFIG);
    }

    public long flushMs() {
        return (Long) values.get(TopicConfig.FLUSH_MS_CONFIG);
    }

    public long fileDeleteDelayMs() {
        return (Long) values.get(TopicConfig.FILE_DELETE_DELAY_MS_CONFIG);
    }

    public int minInSyncReplicas() {
        return (Integer) values.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
    }

    public boolean uncleanLeaderElectionEnable() {
        return (Boolean) values.get(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG);
    }

    /** {@code producer}, {@code uncompressed}, {@code gzip}, {@code snappy}, {@code lz4} or {@code zstd}. */
    public String compressionType() {
        return ((String) values.get(TopicConfig.COMPRESSION_TYPE_CONFIG)).toLowerCase(Locale.ROOT);
    }

    /**
     * The codec the topic's config asks for, with its level, or empty for {@code producer}
     * (keep the producer's codec).
     */
    public java.util.Optional<Compression> topicCompression() {
        String type = compressionType();
        return switch (type) {
            case PRODUCER_COMPRESSION -> java.util.Optional.empty();
            case "uncompressed" -> java.util.Optional.of(Compression.NONE);
            case "gzip" -> java.util.Optional.of(Compression.gzip()
                .level((Integer) values.get(TopicConfig.COMPRESSION_GZIP_LEVEL_CONFIG)).build());
            case "lz4" -> java.util.Optional.of(Compression.lz4()
                .level((Integer) values.get(TopicConfig.COMPRESSION_LZ4_LEVEL_CONFIG)).build());
            case "zstd" -> java.util.Optional.of(Compression.zstd()
                .level((Integer) values.get(TopicConfig.COMPRESSION_ZSTD_LEVEL_CONFIG)).build());
            case "snappy" -> java.util.Optional.of(Compression.snappy().build());
            default -> throw new IllegalStateException("unvalidated compression.type " + type);
        };
    }

    public boolean preallocate() {
        return (Boolean) values.get(TopicConfig.PREALLOCATE_CONFIG);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogConfig other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "LogConfig" + values;
    }
}
