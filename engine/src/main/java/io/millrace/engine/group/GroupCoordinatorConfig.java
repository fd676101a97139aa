package io.millrace.engine.group;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The group coordinator's settings, with Kafka's broker-level names and defaults.
 *
 * <p>Built from the broker's properties: keys this class does not know are ignored (they belong
 * to other parts of the broker). Immutable and thread-safe. An invalid value throws
 * {@link ConfigException} naming the key.
 */
public final class GroupCoordinatorConfig {

    public static final String GROUP_MIN_SESSION_TIMEOUT_MS = "group.min.session.timeout.ms";
    public static final String GROUP_MAX_SESSION_TIMEOUT_MS = "group.max.session.timeout.ms";
    public static final String GROUP_INITIAL_REBALANCE_DELAY_MS = "group.initial.rebalance.delay.ms";
    public static final String GROUP_MAX_SIZE = "group.max.size";
    public static final String OFFSETS_RETENTION_MINUTES = "offsets.retention.minutes";
    public static final String OFFSETS_RETENTION_CHECK_INTERVAL_MS = "offsets.retention.check.interval.ms";
    public static final String OFFSET_METADATA_MAX_BYTES = "offset.metadata.max.bytes";
    public static final String OFFSETS_TOPIC_NUM_PARTITIONS = "offsets.topic.num.partitions";
    public static final String OFFSETS_TOPIC_REPLICATION_FACTOR = "offsets.topic.replication.factor";
    public static final String OFFSETS_TOPIC_SEGMENT_BYTES = "offsets.topic.segment.bytes";
    public static final String OFFSETS_LOAD_BUFFER_SIZE = "offsets.load.buffer.size";
    public static final String OFFSETS_COMMIT_TIMEOUT_MS = "offsets.commit.timeout.ms";

    /** Kafka's default for the time a JoinGroup from a brand-new member may stay parked. */
    public static final int NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000;

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(GROUP_MIN_SESSION_TIMEOUT_MS, Type.INT, 6000, atLeast(0), MEDIUM,
                    "The smallest session timeout a member may ask for in JoinGroup.")
            .define(GROUP_MAX_SESSION_TIMEOUT_MS, Type.INT, 1800000, atLeast(0), MEDIUM,
                    "The largest session timeout a member may ask for in JoinGroup.")
            .define(GROUP_INITIAL_REBALANCE_DELAY_MS, Type.INT, 3000, atLeast(0), MEDIUM,
                    "How long the first rebalance of an empty group waits for more members to join,"
                            + " extended by the same amount while new members keep arriving, up to the"
                            + " rebalance timeout.")
            .define(GROUP_MAX_SIZE, Type.INT, Integer.MAX_VALUE, atLeast(1), MEDIUM,
                    "The most members one group may have.")
            .define(OFFSETS_RETENTION_MINUTES, Type.INT, 7 * 24 * 60, atLeast(1), HIGH,
                    "After a group becomes empty, its committed offsets are kept this long, then deleted."
                            + " Offsets of standalone consumers expire this long after their last commit.")
            .define(OFFSETS_RETENTION_CHECK_INTERVAL_MS, Type.LONG, 600000L, atLeast(1), HIGH,
                    "How often the coordinator looks for expired offsets.")
            .define(OFFSET_METADATA_MAX_BYTES, Type.INT, 4096, atLeast(0), HIGH,
                    "The longest metadata string an offset commit may carry.")
            .define(OFFSETS_TOPIC_NUM_PARTITIONS, Type.INT, 50, atLeast(1), HIGH,
                    "The number of partitions of __consumer_offsets; do not change it after the topic exists.")
            .define(OFFSETS_TOPIC_REPLICATION_FACTOR, Type.SHORT, (short) 3, atLeast(1), HIGH,
                    "The replication factor of __consumer_offsets. A cluster with fewer brokers creates it"
                            + " with as many replicas as it has brokers.")
            .define(OFFSETS_TOPIC_SEGMENT_BYTES, Type.INT, 100 * 1024 * 1024, atLeast(1024 * 1024), HIGH,
                    "The segment size of __consumer_offsets, kept small for fast compaction and loading.")
            .define(OFFSETS_LOAD_BUFFER_SIZE, Type.INT, 5 * 1024 * 1024, atLeast(1), HIGH,
                    "How many bytes of __consumer_offsets a load reads at a time.")
            .define(OFFSETS_COMMIT_TIMEOUT_MS, Type.INT, 5000, atLeast(1), HIGH,
                    "A write to __consumer_offsets (a commit, an assignment) answers only once every in-sync"
                            + " replica has it; after this long without that it fails with COORDINATOR_NOT_AVAILABLE.")
;

    private final int groupMinSessionTimeoutMs;
    private final int groupMaxSessionTimeoutMs;
    private final int groupInitialRebalanceDelayMs;
    private final int groupMaxSize;
    private final long offsetsRetentionMs;
    private final long offsetsRetentionCheckIntervalMs;
    private final int offsetMetadataMaxBytes;
    private final int offsetsTopicNumPartitions;
    private final short offsetsTopicReplicationFactor;
    private final int offsetsTopicSegmentBytes;
    private final int offsetsLoadBufferSize;
    private final int offsetsCommitTimeoutMs;

    private GroupCoordinatorConfig(AbstractConfig values) {
        groupMinSessionTimeoutMs = values.getInt(GROUP_MIN_SESSION_TIMEOUT_MS);
        groupMaxSessionTimeoutMs = values.getInt(GROUP_MAX_SESSION_TIMEOUT_MS);
        groupInitialRebalanceDelayMs = values.getInt(GROUP_INITIAL_REBALANCE_DELAY_MS);
        groupMaxSize = values.getInt(GROUP_MAX_SIZE);
        offsetsRetentionMs = values.getInt(OFFSETS_RETENTION_MINUTES) * 60_000L;
        offsetsRetentionCheckIntervalMs = values.getLong(OFFSETS_RETENTION_CHECK_INTERVAL_MS);
        offsetMetadataMaxBytes = values.getInt(OFFSET_METADATA_MAX_BYTES);
        offsetsTopicNumPartitions = values.getInt(OFFSETS_TOPIC_NUM_PARTITIONS);
        offsetsTopicReplicationFactor = values.getShort(OFFSETS_TOPIC_REPLICATION_FACTOR);
        offsetsTopicSegmentBytes = values.getInt(OFFSETS_TOPIC_SEGMENT_BYTES);
        offsetsLoadBufferSize = values.getInt(OFFSETS_LOAD_BUFFER_SIZE);
        offsetsCommitTimeoutMs = values.getInt(OFFSETS_COMMIT_TIMEOUT_MS);
        if (groupMinSessionTimeoutMs > groupMaxSessionTimeoutMs) {
            throw new ConfigException(GROUP_MIN_SESSION_TIMEOUT_MS, groupMinSessionTimeoutMs,
                    "must not exceed " + GROUP_MAX_SESSION_TIMEOUT_MS + " (" + groupMaxSessionTimeoutMs + ")");
        }
    }

    /** Reads the coordinator's keys from broker properties; other keys are ignored, missing ones default. */
    public static GroupCoordinatorConfig fromMap(Map<String, ?> brokerProps) {
        Map<String, Object> own = new java.util.HashMap<>();
        for (String name : CONFIG_DEF.names()) {
            if (brokerProps.containsKey(name)) {
                own.put(name, brokerProps.get(name));
            }
        }
        return new GroupCoordinatorConfig(new AbstractConfig(CONFIG_DEF, own, false));
    }

    /** All defaults. */
    public static GroupCoordinatorConfig defaults() {
        return fromMap(Map.of());
    }

    public int groupMinSessionTimeoutMs() {
        return groupMinSessionTimeoutMs;
    }

    public int groupMaxSessionTimeoutMs() {
        return groupMaxSessionTimeoutMs;
    }

    public int groupInitialRebalanceDelayMs() {
        return groupInitialRebalanceDelayMs;
    }

    public int groupMaxSize() {
        return groupMaxSize;
    }

    public long offsetsRetentionMs() {
        return offsetsRetentionMs;
    }

    public long offsetsRetentionCheckIntervalMs() {
        return offsetsRetentionCheckIntervalMs;
    }

    public int offsetMetadataMaxBytes() {
        return offsetMetadataMaxBytes;
    }

    public int offsetsTopicNumPartitions() {
        return offsetsTopicNumPartitions;
    }

    public short offsetsTopicReplicationFactor() {
        return offsetsTopicReplicationFactor;
    }

    public int offsetsTopicSegmentBytes() {
        return offsetsTopicSegmentBytes;
    }

    public int offsetsCommitTimeoutMs() {
        return offsetsCommitTimeoutMs;
    }

    public int offsetsLoadBufferSize() {
        return offsetsLoadBufferSize;
    }
}
