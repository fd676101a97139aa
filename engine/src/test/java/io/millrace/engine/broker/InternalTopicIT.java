package io.millrace.engine.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.engine.EmbeddedBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients cannot write to, delete, grow or truncate {@code __consumer_offsets}: Kafka refuses
 * with INVALID_TOPIC_EXCEPTION, and the committed offsets stay as they were.
 */
class InternalTopicIT {

  static EmbeddedBroker broker;
  static Admin admin;
  static final TopicPartition COMMITTED = new TopicPartition("orders", 0);

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedBroker.start(Map.of("offsets.topic.num.partitions", "2"));
    admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
    admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("orders", 1, (short) 1))).all().get();
    // Creates __consumer_offsets and stores one commit in it.
    admin.alterConsumerGroupOffsets("g", Map.of(COMMITTED, new OffsetAndMetadata(7))).all().get();
  }

  @AfterAll
  static void stop() {
    admin.close();
    broker.close();
  }

  @Test
  void producingToTheOffsetsTopicIsRefused() throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", broker.bootstrapServers());
    p.put("delivery.timeout.ms", "5000");
    p.put("request.timeout.ms", "4000");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
        new ByteArraySerializer())) {
      var sent = producer.send(new ProducerRecord<>("__consumer_offsets", 0, new byte[] {1}, new byte[] {2}));
      assertThatThrownBy(() -> sent.get(10, java.util.concurrent.TimeUnit.SECONDS))
          .hasCauseInstanceOf(InvalidTopicException.class);
    }
    assertCommitIntact();
  }

  @Test
  void deletingGrowingOrTruncatingTheOffsetsTopicIsRefused() throws Exception {
    assertThatThrownBy(() -> admin.deleteTopics(List.of("__consumer_offsets")).all().get())
        .hasCauseInstanceOf(InvalidTopicException.class).hasMessageContaining("internal topic");
    assertThatThrownBy(() -> admin.createPartitions(Map.of("__consumer_offsets", NewPartitions.increaseTo(4)))
        .all().get()).hasCauseInstanceOf(InvalidTopicException.class);
    assertThatThrownBy(() -> admin.deleteRecords(Map.of(new TopicPartition("__consumer_offsets", 0),
        RecordsToDelete.beforeOffset(-1))).all().get()).hasCauseInstanceOf(InvalidTopicException.class);
    assertThat(admin.describeTopics(List.of("__consumer_offsets")).allTopicNames().get()
        .get("__consumer_offsets").partitions()).hasSize(2);
    assertCommitIntact();
  }

  private static void assertCommitIntact() throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("g")
        .partitionsToOffsetAndMetadata().get(Duration.ofSeconds(10).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    assertThat(offsets).containsEntry(COMMITTED, new OffsetAndMetadata(7));
  }
}
