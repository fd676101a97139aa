package io.millrace.engine.group;

import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.utils.Utils;

/**
 * The internal compacted topic {@code __consumer_offsets}, where committed offsets and group
 * metadata live, and the mapping of a group to its partition (the partition's leader is the
 * group's coordinator).
 */
public final class OffsetsTopic {

    /** {@code __consumer_offsets}. */
    public static final String NAME = Topic.GROUP_METADATA_TOPIC_NAME;

    private OffsetsTopic() {
    }

    /**
     * Kafka's placement: {@code Utils.abs(groupId.hashCode()) % numPartitions}, so a group lands on
     * the same partition here as on a Kafka cluster with the same partition count.
     */
    public static int partitionFor(String groupId, int numPartitions) {
        if (numPartitions <= 0) {
            throw new IllegalArgumentException("numPartitions must be positive, got " + numPartitions);
        }
        return Utils.abs(groupId.hashCode()) % numPartitions;
    }
}
