package io.millrace.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import io.millrace.engine.config.BrokerConfig;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {

  @Test
  void defaultsAreASingleNodeWithThreeCpMembersOnceClustered() {
    ClusterConfig c = new ClusterConfig(Map.of());
    assertThat(c.enabled()).isFalse();
    assertThat(c.cpMemberCount()).isEqualTo(3);
    assertThat(c.port()).isEqualTo(5701);
    assertThat(c.join()).isEmpty();
  }

  @Test
  void malformedValuesNameTheirKey() {
    assertThatThrownBy(() -> new ClusterConfig(Map.of("cluster.join", "host1:5701,nohost")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.join").hasMessageContaining("nohost");
    assertThatThrownBy(() -> new ClusterConfig(Map.of("cluster.join", "h:99999")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("outside 1..65535");
    assertThatThrownBy(() -> new ClusterConfig(Map.of("cluster.join", "h:port")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not a number");
    assertThatThrownBy(() -> new ClusterConfig(Map.of("cluster.cp.member.count", "2")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.cp.member.count")
        .hasMessageContaining("at least 3");
    assertThatThrownBy(() -> new ClusterConfig(Map.of("cluster.cp.session.heartbeat.seconds", "5")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.cp.session.heartbeat.seconds");
    assertThatThrownBy(() -> new ClusterConfig(Map.of("cluster.port", "0")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.port");
    assertThatThrownBy(() -> new ClusterConfig(Map.of("cluster.enabled", "maybe")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.enabled");
  }

  @Test
  void theBrokerChecksTheClusterAndReplicationKeysAtStart() {
    assertThatThrownBy(() -> new BrokerConfig(Map.of("cluster.join", "x")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.join");
    assertThatThrownBy(() -> new BrokerConfig(Map.of("inter.broker.listener.name", "REPLICATION")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("inter.broker.listener.name");
    assertThatThrownBy(() -> new BrokerConfig(Map.of("replica.fetch.wait.max.ms", "40000")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("replica.fetch.wait.max.ms");
    BrokerConfig ok = new BrokerConfig(Map.of("listeners", "PLAINTEXT://:9092,REPLICATION://:9093",
        "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,REPLICATION:PLAINTEXT",
        "inter.broker.listener.name", "REPLICATION"));
    assertThat(ok.interBrokerListenerName()).isEqualTo("REPLICATION");
    assertThat(new BrokerConfig(Map.of()).interBrokerListenerName()).isEqualTo("PLAINTEXT");
  }

  @Test
  void theHazelcastMemberNeverUsesMulticastAndJoinsTheListedMembers() {
    ClusterConfig c = new ClusterConfig(Map.of("cluster.name", "prod", "cluster.host", "10.0.0.5",
        "cluster.port", "5801", "cluster.join", "10.0.0.5:5801,10.0.0.6:5801"));
    Config hz = HazelcastSettings.build(c, 7);
    assertThat(hz.getClusterName()).isEqualTo("prod");
    assertThat(hz.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isFalse();
    assertThat(hz.getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
        .isEqualTo(List.of("10.0.0.5:5801", "10.0.0.6:5801"));
    assertThat(hz.getNetworkConfig().getPort()).isEqualTo(5801);
    assertThat(hz.getNetworkConfig().isPortAutoIncrement()).isFalse();
    assertThat(hz.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("10.0.0.5");
    assertThat(hz.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(hz.getMemberAttributeConfig().getAttribute(HazelcastSettings.NODE_ID_ATTRIBUTE)).isEqualTo("7");
    assertThat(hz.getCPSubsystemConfig().getCPMemberCount()).isEqualTo(3);
    assertThat(hz.getCPSubsystemConfig().getSessionTimeToLiveSeconds()).isEqualTo(5);
  }
}
