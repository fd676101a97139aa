package io.millrace.engine.group.record;

import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/**
 * One record of {@code __consumer_offsets}: what the coordinator writes and what it replays when
 * it loads a partition. A null value is a tombstone (the key is deleted; compaction removes it).
 */
public sealed interface GroupRecord {

    /** The group the record belongs to. */
    String groupId();

    /** True for a tombstone. */
    boolean isTombstone();

    /** A committed offset of one partition, or its deletion. */
    record OffsetCommit(String groupId, TopicPartition partition, OffsetCommitValue value) implements GroupRecord {
        public OffsetCommit {
            Objects.requireNonNull(groupId, "groupId");
            Objects.requireNonNull(partition, "partition");
        }

        public static OffsetCommit tombstone(String groupId, TopicPartition partition) {
            return new OffsetCommit(groupId, partition, null);
        }

        @Override
        public boolean isTombstone() {
            return value == null;
        }
    }

    /** A group's metadata, or its deletion. */
    record GroupMetadata(String groupId, GroupMetadataValue value) implements GroupRecord {
        public GroupMetadata {
            Objects.requireNonNull(groupId, "groupId");
        }

        public static GroupMetadata tombstone(String groupId) {
            return new GroupMetadata(groupId, null);
        }

        @Override
        public boolean isTombstone() {
            return value == null;
        }
    }
}
