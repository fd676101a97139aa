package io.millrace.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.Broker;
import io.millrace.engine.metadata.MetadataImage;
import io.millrace.engine.metadata.PartitionImage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** Membership, controller election, metadata quorum: three brokers in one JVM. */
class ControllerIT {

  @Test
  void threeBrokersElectOneControllerAndShareTheMetadata() throws Exception {
    try (TestCluster cluster = TestCluster.start(3, Map.of())) {
      TestCluster.await("one controller seen by all", Duration.ofSeconds(30), () -> {
        int controller = cluster.broker(1).metadata().controllerId();
        return controller > 0 && cluster.running().values().stream().allMatch(b ->
            b.metadata().controllerId() == controller && b.metadata().liveBrokerIds().size() == 3);
      }, () -> cluster.running().values().stream().map(b -> b.metadata().controllerId() + ":"
          + b.metadata().liveBrokerIds()).toList().toString());
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic("spread", 6, (short) 3))).all().get();
      }
      TestCluster.await("the topic on every broker", Duration.ofSeconds(10), () ->
          cluster.running().values().stream().allMatch(b -> b.metadata().topic("spread") != null));
      MetadataImage image = cluster.broker(2).metadata();
      for (PartitionImage p : image.topic("spread").partitions()) {
        assertThat(p.replicas()).hasSize(3).doesNotHaveDuplicates();
        assertThat(p.isr()).containsExactlyInAnyOrderElementsOf(p.replicas());
      }
      assertThat(image.topic("spread").partitions().stream().map(PartitionImage::leader).distinct()).hasSize(3);

      int controller = cluster.controllerId();
      cluster.crash(controller);
      int survivor = controller == 1 ? 2 : 1;
      Broker watcher = cluster.broker(survivor);
      TestCluster.await("a new controller", Duration.ofSeconds(30), () -> {
        MetadataImage now = watcher.metadata();
        return now.controllerId() != controller && now.controllerId() > 0 && !now.isLive(controller);
      }, () -> watcher.metadata().controllerId() + " live " + watcher.metadata().liveBrokerIds());
      for (PartitionImage p : watcher.metadata().topic("spread").partitions()) {
        assertThat(p.leader()).isNotEqualTo(controller).isPositive();
        assertThat(p.isr()).doesNotContain(controller);
      }
    }
  }

  @Test
  void oneBrokerWithoutRaftIsAClusterOfOne() throws Exception {
    try (TestCluster cluster = TestCluster.start(1, Map.of("cluster.cp.member.count", "0"))) {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic("alone", 2, (short) 1))).all().get();
      }
      try (var producer = ReplicationIT.producer(cluster.bootstrapServers())) {
        producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("alone", 0, null, "one")).get();
      }
      assertThat(ReplicationIT.read(cluster.bootstrapServers(), new org.apache.kafka.common.TopicPartition("alone", 0), 1))
          .containsExactly("one");
      assertThat(cluster.broker(1).metadata().controllerId()).isEqualTo(1);
    }
  }
}
