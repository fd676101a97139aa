package io.millrace.engine.log;

import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
 * <p>{@code segment.bytes} (and its broker key {@code log.segment.bytes}) must be at least
 * 1 MiB, as in Kafka 4. Tests that need segments to roll after a few batches set the internal
 * key {@link #INTERNAL_SEGMENT_BYTES_CONFIG} ({@code internal.segment.bytes}, Kafka 4's name),
 * which wins over {@code segment.bytes} and accepts anything from one empty batch (61 bytes);
 * it is for tests only, marked internal in {@link #CONFIG_DEF}, and not a broker default.
 */
public final class LogConfig {

    /** {@code cleanup.policy} values. */
    public static final String COMPACT = TopicConfig.CLEANUP_POLICY_COMPACT;
    public static final String DELETE = TopicConfig.CLEANUP_POLICY_DELETE;

    /** {@code compression.type=producer}: keep whatever codec the producer used. */
    public static final String PRODUCER_COMPRESSION = "producer";

    /** Kafka's minimum {@code segment.bytes} for users. */
    public static final int MIN_SEGMENT_BYTES = 1024 * 1024;

    /**
     * For tests only (Kafka 4's {@code LogConfig.INTERNAL_SEGMENT_BYTES_CONFIG}): a segment size
     * that overrides {@code segment.bytes} and may be as small as one empty record batch.
     */
    public static final String INTERNAL_SEGMENT_BYTES_CONFIG = "internal.segment.bytes";
    private static final String INTERNAL_SEGMENT_BYTES_DOC = "The maximum size of a single log file, overriding "
        + "segment.bytes without its 1 MiB minimum. This should be used for testing only.";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
        .define(TopicConfig.SEGMENT_BYTES_CONFIG, Type.INT, 1024 * 1024 * 1024, atLeast(MIN_SEGMENT_BYTES),
            Importance.MEDIUM, TopicConfig.SEGMENT_BYTES_DOC)
        .defineInternal(INTERNAL_SEGMENT_BYTES_CONFIG, Type.INT, null,
            nullOrAtLeast(DefaultRecordBatch.RECORD_BATCH_OVERHEAD), Importance.MEDIUM, INTERNAL_SEGMENT_BYTES_DOC)
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

    // Parsed once: the append path reads several of these per batch.
    private final Map<String, Object> values;
    private final int segmentBytes;
    private final long segmentMs;
    private final long segmentJitterMs;
    private final int segmentIndexBytes;
    private final int indexIntervalBytes;
    private final long retentionMs;
    private final long retentionBytes;
    private final long deleteRetentionMs;
    private final long minCompactionLagMs;
    private final long maxCompactionLagMs;
    private final double minCleanableDirtyRatio;
    private final int maxMessageBytes;
    private final long messageTimestampBeforeMaxMs;
    private final long messageTimestampAfterMaxMs;
    private final long flushMessages;
    private final long flushMs;
    private final long fileDeleteDelayMs;
    private final int minInSyncReplicas;
    private final boolean uncleanLeaderElectionEnable;
    private final boolean preallocate;
    private final boolean compact;
    private final boolean delete;
    private final TimestampType timestampType;
    private final String compressionType;
    private final Optional<Compression> topicCompression;

    private LogConfig(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        this.segmentBytes = segmentBytesOf(values);
        this.segmentMs = (Long) values.get(TopicConfig.SEGMENT_MS_CONFIG);
        this.segmentJitterMs = (Long) values.get(TopicConfig.SEGMENT_JITTER_MS_CONFIG);
        this.segmentIndexBytes = (Integer) values.get(TopicConfig.SEGMENT_INDEX_BYTES_CONFIG);
        this.indexIntervalBytes = (Integer) values.get(TopicConfig.INDEX_INTERVAL_BYTES_CONFIG);
        this.retentionMs = (Long) values.get(TopicConfig.RETENTION_MS_CONFIG);
        this.retentionBytes = (Long) values.get(TopicConfig.RETENTION_BYTES_CONFIG);
        this.deleteRetentionMs = (Long) values.get(TopicConfig.DELETE_RETENTION_MS_CONFIG);
        this.minCompactionLagMs = (Long) values.get(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG);
        this.maxCompactionLagMs = (Long) values.get(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG);
        this.minCleanableDirtyRatio = (Double) values.get(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG);
        this.maxMessageBytes = (Integer) values.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        this.messageTimestampBeforeMaxMs = (Long) values.get(TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG);
        this.messageTimestampAfterMaxMs = (Long) values.get(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG);
        this.flushMessages = (Long) values.get(TopicConfig.FLUSH_MESSAGES_INTERVAL_CONFIG);
        this.flushMs = (Long) values.get(TopicConfig.FLUSH_MS_CONFIG);
        this.fileDeleteDelayMs = (Long) values.get(TopicConfig.FILE_DELETE_DELAY_MS_CONFIG);
        this.minInSyncReplicas = (Integer) values.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
        this.uncleanLeaderElectionEnable = (Boolean) values.get(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG);
        this.preallocate = (Boolean) values.get(TopicConfig.PREALLOCATE_CONFIG);
        @SuppressWarnings("unchecked")
        List<String> policies = (List<String>) values.get(TopicConfig.CLEANUP_POLICY_CONFIG);
        this.compact = policies.contains(COMPACT);
        this.delete = policies.contains(DELETE);
        this.timestampType = TimestampType.forName((String) values.get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG));
        this.compressionType = ((String) values.get(TopicConfig.COMPRESSION_TYPE_CONFIG)).toLowerCase(Locale.ROOT);
        this.topicCompression = compressionOf(compressionType, values);
    }

    private static int segmentBytesOf(Map<String, Object> values) {
        Integer internal = (Integer) values.get(INTERNAL_SEGMENT_BYTES_CONFIG);
        return internal != null ? internal : (Integer) values.get(TopicConfig.SEGMENT_BYTES_CONFIG);
    }

    private static Optional<Compression> compressionOf(String type, Map<String, Object> values) {
        return switch (type) {
            case PRODUCER_COMPRESSION -> Optional.empty();
            case "uncompressed" -> Optional.of(Compression.NONE);
            case "gzip" -> Optional.of(Compression.gzip()
                .level((Integer) values.get(TopicConfig.COMPRESSION_GZIP_LEVEL_CONFIG)).build());
            case "lz4" -> Optional.of(Compression.lz4()
                .level((Integer) values.get(TopicConfig.COMPRESSION_LZ4_LEVEL_CONFIG)).build());
            case "zstd" -> Optional.of(Compression.zstd()
                .level((Integer) values.get(TopicConfig.COMPRESSION_ZSTD_LEVEL_CONFIG)).build());
            case "snappy" -> Optional.of(Compression.snappy().build());
            default -> throw new IllegalStateException("unvalidated compression.type " + type);
        };
    }

    /** {@code atLeast(min)} for a key whose default is null (unset). */
    private static ConfigDef.Validator nullOrAtLeast(int min) {
        ConfigDef.Validator atLeast = atLeast(min);
        return (name, value) -> {
            if (value != null) {
                atLeast.ensureValid(name, value);
            }
        };
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

    /** {@code segment.bytes}, or the test-only {@code internal.segment.bytes} when set. */
    public int segmentBytes() {
        return segmentBytes;
    }

    public long segmentMs() {
        return segmentMs;
    }

    public long segmentJitterMs() {
        return segmentJitterMs;
    }

    public int segmentIndexBytes() {
        return segmentIndexBytes;
    }

    public int indexIntervalBytes() {
        return indexIntervalBytes;
    }

    public long retentionMs() {
        return retentionMs;
    }

    public long retentionBytes() {
        return retentionBytes;
    }

    public boolean compact() {
        return compact;
    }

    public boolean delete() {
        return delete;
    }

    public long deleteRetentionMs() {
        return deleteRetentionMs;
    }

    public long minCompactionLagMs() {
        return minCompactionLagMs;
    }

    public long maxCompactionLagMs() {
        return maxCompactionLagMs;
    }

    public double minCleanableDirtyRatio() {
        return minCleanableDirtyRatio;
    }

    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    public TimestampType messageTimestampType() {
        return timestampType;
    }

    public long messageTimestampBeforeMaxMs() {
        return messageTimestampBeforeMaxMs;
    }

    public long messageTimestampAfterMaxMs() {
        return messageTimestampAfterMaxMs;
    }

    public long flushMessages() {
        return flushMessages;
    }

    public long flushMs() {
        return flushMs;
    }

    public long fileDeleteDelayMs() {
        return fileDeleteDelayMs;
    }

    public int minInSyncReplicas() {
        return minInSyncReplicas;
    }

    public boolean uncleanLeaderElectionEnable() {
        return uncleanLeaderElectionEnable;
    }

    /** {@code producer}, {@code uncompressed}, {@code gzip}, {@code snappy}, {@code lz4} or {@code zstd}. */
    public String compressionType() {
        return compressionType;
    }

    /**
     * The codec the topic's config asks for, with its level, or empty for {@code producer}
     * (keep the producer's codec).
     */
    public Optional<Compression> topicCompression() {
        return topicCompression;
    }

    public boolean preallocate() {
        return preallocate;
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
