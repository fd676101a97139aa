package io.millrace.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.Broker;
import io.millrace.engine.broker.HostedPartition;
import io.millrace.engine.metadata.PartitionImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Leader/follower replication with three brokers in one JVM. */
class ReplicationIT {

  @Test
  void acknowledgedRecordsSurviveTheLeadersCrash() throws Exception {
    try (TestCluster cluster = TestCluster.start(3, Map.of())) {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic("replicated", 1, (short) 3)
            .configs(Map.of("min.insync.replicas", "2")))).all().get();
      }
      List<String> sent = new ArrayList<>();
      try (KafkaProducer<String, String> producer = producer(cluster.bootstrapServers())) {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
          String v = "value-" + i;
          sent.add(v);
          acks.add(producer.send(new ProducerRecord<>("replicated", 0, null, v)));
        }
        for (Future<RecordMetadata> f : acks) {
          f.get();
        }
      }
      TopicPartition tp = new TopicPartition("replicated", 0);
      PartitionImage p = cluster.broker(1).metadata().topic("replicated").partition(0);
      int leader = p.leader();
      // Every replica holds the acknowledged records (the high watermark reached them on all).
      TestCluster.await("followers caught up", Duration.ofSeconds(10), () -> cluster.running().values().stream()
          .allMatch(b -> b.hostedPartitions().get(tp).map(h -> h.log().logEndOffset() == 300).orElse(false)));
      cluster.crash(leader);
      int survivor = leader == 1 ? 2 : 1;
      Broker watcher = cluster.broker(survivor);
      TestCluster.await("a new leader", Duration.ofSeconds(30), () -> {
        PartitionImage now = watcher.metadata().topic("replicated").partition(0);
        return now.leader() > 0 && now.leader() != leader;
      });
      assertThat(read(cluster.bootstrapServers(), tp, 300)).containsExactlyElementsOf(sent);
      // Still writable with two of three (min.insync.replicas=2).
      try (KafkaProducer<String, String> producer = producer(cluster.bootstrapServers())) {
        producer.send(new ProducerRecord<>("replicated", 0, null, "after")).get();
      }
      cluster.startBroker(leader);
      TestCluster.await("the old leader back in the ISR", Duration.ofSeconds(30), () ->
          cluster.broker(survivor).metadata().topic("replicated").partition(0).isr().contains(leader));
      HostedPartition back = cluster.broker(leader).hostedPartitions().get(tp).orElseThrow();
      assertThat(back.log().logEndOffset()).isEqualTo(301);
    }
  }

  static KafkaProducer<String, String> producer(String bootstrap) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("linger.ms", "5");
    p.put("delivery.timeout.ms", "60000");
    p.put("request.timeout.ms", "10000");
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  static List<String> read(String bootstrap, TopicPartition tp, int count) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("enable.auto.commit", "false");
    List<String> out = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          out.add(r.value());
        }
      }
    }
    return out;
  }
}
