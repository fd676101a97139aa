package io.millrace.engine.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class LogConfigTest {

    @Test
    void segmentBytesBelowOneMebibyteIsRejectedAsKafkaDoes() {
        assertThatThrownBy(() -> LogConfig.fromMap(Map.of(TopicConfig.SEGMENT_BYTES_CONFIG, 1024 * 1024 - 1)))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining(TopicConfig.SEGMENT_BYTES_CONFIG)
            .hasMessageContaining("at least 1048576");
        assertThat(LogConfig.fromMap(Map.of(TopicConfig.SEGMENT_BYTES_CONFIG, 1024 * 1024)).segmentBytes())
            .isEqualTo(1024 * 1024);
    }

    @Test
    void theBrokerDefaultKeyIsValidatedLikeTheTopicKey() {
        assertThatThrownBy(() -> LogConfig.fromBrokerAndTopic(Map.of("log.segment.bytes", "4096"), Map.of()))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining(TopicConfig.SEGMENT_BYTES_CONFIG);
        assertThat(LogConfig.fromBrokerAndTopic(Map.of("log.segment.bytes", "2097152"), Map.of()).segmentBytes())
            .isEqualTo(2 * 1024 * 1024);
    }

    @Test
    void theInternalTestKeyOverridesSegmentBytesDownToOneEmptyBatch() {
        LogConfig config = LogConfig.fromMap(Map.of(TopicConfig.SEGMENT_BYTES_CONFIG, 4 * 1024 * 1024,
            LogConfig.INTERNAL_SEGMENT_BYTES_CONFIG, 61));
        assertThat(config.segmentBytes()).isEqualTo(61);
        assertThat(LogConfig.fromMap(Map.of()).segmentBytes()).isEqualTo(1024 * 1024 * 1024);
        assertThatThrownBy(() -> LogConfig.fromMap(Map.of(LogConfig.INTERNAL_SEGMENT_BYTES_CONFIG, 60)))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining(LogConfig.INTERNAL_SEGMENT_BYTES_CONFIG);
        assertThatThrownBy(() -> LogConfig.fromMap(Map.of(LogConfig.INTERNAL_SEGMENT_BYTES_CONFIG, "many")))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining(LogConfig.INTERNAL_SEGMENT_BYTES_CONFIG);
    }

    @Test
    void theInternalKeyIsMarkedInternalAndHasNoBrokerDefault() {
        assertThat(LogConfig.CONFIG_DEF.configKeys().get(LogConfig.INTERNAL_SEGMENT_BYTES_CONFIG).internalConfig)
            .isTrue();
        assertThat(LogConfig.CONFIG_DEF.configKeys().get(TopicConfig.SEGMENT_BYTES_CONFIG).internalConfig).isFalse();
        assertThat(LogConfig.brokerDefaultKeys()).doesNotContainValue(LogConfig.INTERNAL_SEGMENT_BYTES_CONFIG);
    }

    @Test
    void typedAccessorsReadTheParsedValues() {
        LogConfig config = LogConfig.fromMap(Map.of(
            TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime",
            TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG, "1000",
            TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, 2000L,
            TopicConfig.CLEANUP_POLICY_CONFIG, "compact,delete",
            TopicConfig.COMPRESSION_TYPE_CONFIG, "zstd",
            TopicConfig.COMPRESSION_ZSTD_LEVEL_CONFIG, 7));
        assertThat(config.messageTimestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(config.messageTimestampBeforeMaxMs()).isEqualTo(1000L);
        assertThat(config.messageTimestampAfterMaxMs()).isEqualTo(2000L);
        assertThat(config.compact()).isTrue();
        assertThat(config.delete()).isTrue();
        assertThat(config.topicCompression()).contains(Compression.zstd().level(7).build());
        assertThat(config.with(Map.of(TopicConfig.COMPRESSION_TYPE_CONFIG, "producer")).topicCompression()).isEmpty();
        assertThat(config.with(Map.of(TopicConfig.RETENTION_MS_CONFIG, 5L)).retentionMs()).isEqualTo(5L);
    }
}
