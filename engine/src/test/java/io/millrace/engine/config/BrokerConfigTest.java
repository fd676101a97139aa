package io.millrace.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class BrokerConfigTest {

  @Test
  void defaultsAreKafkas() {
    BrokerConfig c = new BrokerConfig(Map.of());
    assertThat(c.nodeId()).isEqualTo(1);
    assertThat(c.listeners()).containsExactly(new ListenerSpec("PLAINTEXT", "0.0.0.0", 9092));
    assertThat(c.advertisedListeners()).containsExactly(new ListenerSpec("PLAINTEXT", "localhost", 9092));
    assertThat(c.logDirs()).containsExactly(Path.of("data").toAbsolutePath());
    assertThat(c.socketRequestMaxBytes()).isEqualTo(100 * 1024 * 1024);
    assertThat(c.queuedMaxRequests()).isEqualTo(500);
    assertThat(c.autoCreateTopicsEnable()).isTrue();
    assertThat(c.deleteTopicEnable()).isTrue();
    assertThat(c.parsedValues().get("log.retention.hours")).isEqualTo(168);
    assertThat(c.parsedValues().get("message.max.bytes")).isEqualTo(1024 * 1024 + 12);
  }

  @Test
  void logDirsWinsOverLogDir() {
    BrokerConfig c = new BrokerConfig(Map.of("log.dir", "/a", "log.dirs", "/b,/c"));
    assertThat(c.logDirs()).containsExactly(Path.of("/b"), Path.of("/c"));
  }

  @Test
  void invalidValuesNameTheirKey() {
    assertThatThrownBy(() -> new BrokerConfig(Map.of("num.partitions", "zero")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("num.partitions");
    assertThatThrownBy(() -> new BrokerConfig(Map.of("queued.max.requests", "0")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("queued.max.requests");
    assertThatThrownBy(() -> new BrokerConfig(Map.of("listeners", "PLAINTEXT://host")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("listeners");
    assertThatThrownBy(() -> new BrokerConfig(Map.of("listeners", "PLAINTEXT://:99999")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("65535");
    assertThatThrownBy(() -> new BrokerConfig(Map.of("listeners", "SSL://:9093",
        "listener.security.protocol.map", "SSL:SSL"))).hasMessageContaining("PLAINTEXT listeners only");
    assertThatThrownBy(() -> new BrokerConfig(Map.of("advertised.listeners", "OTHER://h:1")))
        .hasMessageContaining("advertised.listeners");
    assertThatThrownBy(() -> new BrokerConfig(Map.of("log.segment.bytes", "-1")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("log.segment.bytes");
    assertThatThrownBy(() -> new BrokerConfig(Map.of("log.retention.ms", "-7")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("log.retention.ms");
  }

  @Test
  void advertisedListenersReplaceWildcardsWithLocalhost() {
    BrokerConfig c = new BrokerConfig(Map.of("listeners", "PLAINTEXT://:9092,INTERNAL://127.0.0.1:9093",
        "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT"));
    assertThat(c.advertisedListeners()).containsExactly(new ListenerSpec("PLAINTEXT", "localhost", 9092),
        new ListenerSpec("INTERNAL", "127.0.0.1", 9093));
    assertThat(c.listeners().get(0).bindHost()).isEqualTo("0.0.0.0");
  }

  @Test
  void logDefaultsReachTheLog() {
    BrokerConfig c = new BrokerConfig(Map.of("log.retention.hours", "1", "log.segment.bytes", "2097152"));
    assertThat(c.logDefaults()).containsEntry("log.retention.hours", 1).containsEntry("log.segment.bytes", 2097152);
  }
}
