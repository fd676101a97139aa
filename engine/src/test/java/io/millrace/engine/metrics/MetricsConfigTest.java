package io.millrace.engine.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.engine.config.BrokerConfig;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class MetricsConfigTest {

  @Test
  void defaults() {
    MetricsConfig c = new MetricsConfig(Map.of());
    assertThat(c.port()).isEqualTo(9644);
    assertThat(c.host()).isEqualTo("0.0.0.0");
    assertThat(c.partitionLevelEnabled()).isTrue();
    assertThat(MetricsConfig.withDefaultPort(9645, Map.of()).port()).isEqualTo(9645);
  }

  @Test
  void badValuesNameTheirKey() {
    assertThatThrownBy(() -> new MetricsConfig(Map.of("metrics.port", "-2")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("metrics.port");
    assertThatThrownBy(() -> new MetricsConfig(Map.of("metrics.port", "65536")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("metrics.port");
    assertThatThrownBy(() -> new MetricsConfig(Map.of("metrics.port", "ninety")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("metrics.port");
    assertThatThrownBy(() -> new MetricsConfig(Map.of("metrics.partition.level.enabled", "sometimes")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("metrics.partition.level.enabled");
  }

  @Test
  void brokerConfigKnowsTheKeys() {
    BrokerConfig broker = new BrokerConfig(Map.of("metrics.port", "-1", "metrics.partition.level.enabled", "false"));
    assertThat(BrokerConfig.CONFIG_DEF.names()).containsAll(MetricsConfig.CONFIG_DEF.names());
    assertThat(broker.metrics().port()).isEqualTo(-1);
    assertThat(broker.metrics().partitionLevelEnabled()).isFalse();
    assertThat(new BrokerConfig(Map.of()).metrics().port()).isEqualTo(9644);
    assertThatThrownBy(() -> new BrokerConfig(Map.of("metrics.port", "x"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("metrics.port");
  }
}
