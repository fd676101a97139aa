package io.millrace.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.Broker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Two of three brokers crash at once: the CP Subsystem and the metadata quorum lose their
 * majority, and nothing can be decided. Once both are back, the CP Subsystem is reset, a
 * controller is elected again, and every acknowledged record is there.
 */
class MajorityLossIT {

  @Test
  void theClusterRecoversWhenTheLostMajorityReturns() throws Exception {
    try (TestCluster cluster = TestCluster.start(3, Map.of())) {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic("survivor", 1, (short) 3))).all().get();
      }
      List<String> sent = new ArrayList<>();
      try (KafkaProducer<String, String> producer = ReplicationIT.producer(cluster.bootstrapServers())) {
        for (int i = 0; i < 100; i++) {
          sent.add("v" + i);
          producer.send(new ProducerRecord<>("survivor", 0, null, "v" + i)).get();
        }
      }
      int controller = cluster.controllerId();
      int other = controller == 1 ? 2 : 1;
      CompletableFuture.allOf(CompletableFuture.runAsync(() -> cluster.crash(controller)),
          CompletableFuture.runAsync(() -> cluster.crash(other))).join();
      CompletableFuture.allOf(cluster.startAsync(controller), cluster.startAsync(other)).join();
      Broker any = cluster.broker(controller);
      TestCluster.await("a controller and three live brokers again", Duration.ofSeconds(120), () ->
          any.metadata().liveBrokerIds().size() == 3 && any.metadata().topic("survivor").partition(0).leader() > 0);
      assertThat(ReplicationIT.read(cluster.bootstrapServers(), new TopicPartition("survivor", 0), 100))
          .containsExactlyElementsOf(sent);
    }
  }
}
