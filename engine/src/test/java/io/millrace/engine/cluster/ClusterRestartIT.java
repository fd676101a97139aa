package io.millrace.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Every broker of the cluster stops, then all start again: topics, assignments, offsets and data are there. */
class ClusterRestartIT {

  @Test
  void aFullRestartKeepsTopicsAssignmentsCommittedOffsetsAndData() throws Exception {
    Map<String, String> props = Map.of("offsets.topic.num.partitions", "3", "offsets.topic.replication.factor", "3");
    try (TestCluster cluster = TestCluster.start(3, props)) {
      TopicPartition tp = new TopicPartition("kept", 0);
      List<String> sent = new ArrayList<>();
      List<List<Integer>> assignment;
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic("kept", 2, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
            .all().get();
        try (KafkaProducer<String, String> producer = ReplicationIT.producer(cluster.bootstrapServers())) {
          for (int i = 0; i < 100; i++) {
            sent.add("v" + i);
            producer.send(new ProducerRecord<>("kept", 0, null, "v" + i));
          }
          producer.flush();
        }
        admin.alterConsumerGroupOffsets("restarting", Map.of(tp, new OffsetAndMetadata(42))).all().get();
        assignment = cluster.broker(1).metadata().topic("kept").partitions().stream()
            .map(p -> p.replicas()).toList();
      }
      for (int id = 1; id <= 3; id++) {
        cluster.stop(id);
      }
      cluster.startAll();
      TestCluster.await("every broker live again", Duration.ofSeconds(30), () ->
          cluster.running().values().stream().allMatch(b -> b.metadata().liveBrokerIds().size() == 3));
      assertThat(cluster.broker(2).metadata().topic("kept").partitions().stream().map(p -> p.replicas()).toList())
          .isEqualTo(assignment);
      assertThat(ReplicationIT.read(cluster.bootstrapServers(), tp, 100)).containsExactlyElementsOf(sent);
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
        TestCluster.await("the committed offset", Duration.ofSeconds(30), () -> {
          try {
            return new OffsetAndMetadata(42).equals(admin.listConsumerGroupOffsets("restarting")
                .partitionsToOffsetAndMetadata().get().get(tp));
          } catch (Exception e) {
            return false;
          }
        });
      }
    }
  }
}
