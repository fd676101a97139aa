package io.millrace.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** A consumer group carries on across the crash of its coordinator; committed offsets are kept. */
class CoordinatorFailoverIT {

  @Test
  void committedOffsetsSurviveTheCoordinatorsCrash() throws Exception {
    Map<String, String> props = Map.of("offsets.topic.num.partitions", "3", "offsets.topic.replication.factor", "3",
        "group.initial.rebalance.delay.ms", "0");
    try (TestCluster cluster = TestCluster.start(3, props)) {
      TopicPartition tp = new TopicPartition("work", 0);
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic("work", 1, (short) 3))).all().get();
      }
      try (KafkaProducer<String, String> producer = ReplicationIT.producer(cluster.bootstrapServers())) {
        for (int i = 0; i < 200; i++) {
          producer.send(new ProducerRecord<>("work", 0, null, "r" + i));
        }
        producer.flush();
      }
      Properties p = new Properties();
      p.put("bootstrap.servers", cluster.bootstrapServers());
      p.put("group.id", "failing-over");
      p.put("enable.auto.commit", "false");
      p.put("auto.offset.reset", "earliest");
      p.put("max.poll.records", "20");
      p.put("session.timeout.ms", "10000");
      p.put("heartbeat.interval.ms", "500");
      List<String> seen = new ArrayList<>();
      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
          new StringDeserializer())) {
        consumer.subscribe(List.of("work"));
        long committed = pollAndCommit(consumer, seen, 100);
        int coordinator;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
          coordinator = admin.describeConsumerGroups(List.of("failing-over")).all().get().get("failing-over")
              .coordinator().id();
        }
        cluster.crash(coordinator);
        pollAndCommit(consumer, seen, 200);
        assertThat(seen).hasSizeGreaterThanOrEqualTo(200);
        assertThat(committed).isPositive();
      }
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
        OffsetAndMetadata last = admin.listConsumerGroupOffsets("failing-over").partitionsToOffsetAndMetadata()
            .get().get(tp);
        assertThat(last.offset()).isEqualTo(200);
      }
      List<String> distinct = seen.stream().distinct().toList();
      assertThat(distinct).hasSize(200);
    }
  }

  /** Polls and commits synchronously until {@code upTo} is committed; returns the last committed offset. */
  private static long pollAndCommit(KafkaConsumer<String, String> consumer, List<String> seen, long upTo) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    long committed = -1;
    while (committed < upTo) {
      assertThat(System.nanoTime()).as("consumed and committed up to " + upTo).isLessThan(deadline);
      for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
        seen.add(r.value());
      }
      try {
        consumer.commitSync(Duration.ofSeconds(5));
        TopicPartition tp = new TopicPartition("work", 0);
        OffsetAndMetadata c = consumer.committed(java.util.Set.of(tp), Duration.ofSeconds(5)).get(tp);
        committed = c == null ? -1 : c.offset();
      } catch (org.apache.kafka.common.errors.RetriableException | org.apache.kafka.clients.consumer.CommitFailedException e) {
        // the coordinator moved: the consumer finds the new one and commits again
      }
    }
    return committed;
  }
}
