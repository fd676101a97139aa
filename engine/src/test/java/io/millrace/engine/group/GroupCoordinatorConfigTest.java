package io.millrace.engine.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class GroupCoordinatorConfigTest {

    @Test
    void defaultsAreKafkas() {
        GroupCoordinatorConfig c = GroupCoordinatorConfig.defaults();
        assertThat(c.groupMinSessionTimeoutMs()).isEqualTo(6000);
        assertThat(c.groupMaxSessionTimeoutMs()).isEqualTo(1800000);
        assertThat(c.groupInitialRebalanceDelayMs()).isEqualTo(3000);
        assertThat(c.groupMaxSize()).isEqualTo(Integer.MAX_VALUE);
        assertThat(c.offsetsRetentionMs()).isEqualTo(7L * 24 * 60 * 60 * 1000);
        assertThat(c.offsetsRetentionCheckIntervalMs()).isEqualTo(600000);
        assertThat(c.offsetMetadataMaxBytes()).isEqualTo(4096);
        assertThat(c.offsetsTopicNumPartitions()).isEqualTo(50);
        assertThat(c.offsetsTopicReplicationFactor()).isEqualTo((short) 3);
    }

    @Test
    void brokerKeysOfOtherPartsAreIgnored() {
        GroupCoordinatorConfig c = GroupCoordinatorConfig.fromMap(Map.of("log.dirs", "/tmp/x",
                GroupCoordinatorConfig.GROUP_MIN_SESSION_TIMEOUT_MS, "100"));
        assertThat(c.groupMinSessionTimeoutMs()).isEqualTo(100);
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> GroupCoordinatorConfig.fromMap(Map.of(
                GroupCoordinatorConfig.OFFSETS_TOPIC_NUM_PARTITIONS, "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("offsets.topic.num.partitions");
        assertThatThrownBy(() -> GroupCoordinatorConfig.fromMap(Map.of(
                GroupCoordinatorConfig.GROUP_MAX_SESSION_TIMEOUT_MS, "abc")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("group.max.session.timeout.ms");
        assertThatThrownBy(() -> GroupCoordinatorConfig.fromMap(Map.of(
                GroupCoordinatorConfig.GROUP_MIN_SESSION_TIMEOUT_MS, "10000",
                GroupCoordinatorConfig.GROUP_MAX_SESSION_TIMEOUT_MS, "9000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("group.min.session.timeout.ms");
    }

    @Test
    void groupsLandOnKafkasPartition() {
        // Utils.abs(hashCode) % 50, as Apache Kafka places them
        assertThat(OffsetsTopic.partitionFor("my-group", 50)).isEqualTo(Math.abs("my-group".hashCode()) % 50);
        String minHash = "polygenelubricants"; // hashCode() == Integer.MIN_VALUE
        assertThat(minHash.hashCode()).isEqualTo(Integer.MIN_VALUE);
        assertThat(OffsetsTopic.partitionFor(minHash, 50)).isEqualTo(0);
        assertThat(OffsetsTopic.partitionFor("", 50)).isZero();
    }
}
