package io.millrace.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.engine.metadata.MetadataImage;
import io.millrace.engine.metadata.PartitionImage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.junit.jupiter.api.Test;

/** Placement limits, controlled shutdown and preferred-leader election with three brokers. */
class LeadershipIT {

  @Test
  void controlledShutdownMovesLeadershipAndPreferredElectionBringsItBack() throws Exception {
    try (TestCluster cluster = TestCluster.start(3, Map.of("auto.leader.rebalance.enable", "false"));
         Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
      assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("too-many", 1, (short) 4))).all().get())
          .hasCauseInstanceOf(InvalidReplicationFactorException.class)
          .hasMessageContaining("only 3 broker(s) are registered");
      admin.createTopics(List.of(new NewTopic("led", 3, (short) 3))).all().get();
      TestCluster.await("the topic everywhere", Duration.ofSeconds(10), () ->
          cluster.running().values().stream().allMatch(b -> b.metadata().topic("led") != null));
      try (KafkaProducer<String, String> producer = ReplicationIT.producer(cluster.bootstrapServers())) {
        for (int p = 0; p < 3; p++) {
          producer.send(new ProducerRecord<>("led", p, null, "v" + p)).get();
        }
      }
      int stopping = cluster.broker(1).metadata().topic("led").partition(0).leader();
      MetadataImage[] seenAtStop = new MetadataImage[1];
      cluster.stop(stopping);
      int watcher = stopping == 1 ? 2 : 1;
      seenAtStop[0] = cluster.broker(watcher).metadata();
      for (PartitionImage p : seenAtStop[0].topic("led").partitions()) {
        assertThat(p.leader()).as("led elsewhere once the stop returns").isNotEqualTo(stopping).isPositive();
        assertThat(p.isr()).doesNotContain(stopping);
      }
      cluster.startBroker(stopping);
      TestCluster.await("the broker back in every ISR", Duration.ofSeconds(30), () -> cluster.broker(watcher).metadata()
          .topic("led").partitions().stream().allMatch(p -> p.isr().contains(stopping)));
      TopicPartition preferredHere = null;
      for (PartitionImage p : cluster.broker(watcher).metadata().topic("led").partitions()) {
        if (p.replicas().get(0) == stopping) {
          preferredHere = new TopicPartition("led", p.partition());
        }
      }
      assertThat(preferredHere).isNotNull();
      admin.electLeaders(ElectionType.PREFERRED, Set.of(preferredHere)).all().get();
      TopicPartition tp = preferredHere;
      TestCluster.await("the preferred replica leads again", Duration.ofSeconds(10), () -> {
        try {
          TopicDescription d = admin.describeTopics(List.of("led")).allTopicNames().get().get("led");
          return d.partitions().get(tp.partition()).leader().id() == stopping;
        } catch (Exception e) {
          return false;
        }
      });
    }
  }

  @Test
  void autoRebalanceGivesAReturningBrokerItsPreferredLeadershipsBack() throws Exception {
    try (TestCluster cluster = TestCluster.start(3, Map.of("auto.leader.rebalance.enable", "true",
        "leader.imbalance.check.interval.seconds", "1"));
         Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic("balanced", 3, (short) 3))).all().get();
      int watcher = 1;
      TestCluster.await("the topic", Duration.ofSeconds(10), () -> cluster.broker(watcher).metadata().topic("balanced") != null);
      cluster.crash(2);
      TestCluster.await("broker 2 fenced", Duration.ofSeconds(30), () -> !cluster.broker(watcher).metadata().isLive(2));
      assertThat(cluster.broker(watcher).metadata().topic("balanced").partitions())
          .allSatisfy(p -> assertThat(p.leader()).isNotEqualTo(2));
      cluster.startBroker(2);
      TestCluster.await("every partition led by its preferred replica", Duration.ofSeconds(60), () ->
          cluster.broker(watcher).metadata().topic("balanced").partitions().stream()
              .allMatch(p -> p.leader() == p.replicas().get(0)));
    }
  }
}
