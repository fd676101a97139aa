package io.millrace.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker as a process: records acknowledged before a clean stop or a kill -9 are all there
 * after the restart, and an idempotent producer that keeps sending across the restart leaves no
 * duplicates.
 */
class BrokerRestartIT {

  @TempDir
  Path tmp;

  @Test
  void cleanStopKeepsEverythingAndSkipsRecovery() throws Exception {
    try (BrokerProcess broker = new BrokerProcess(tmp.resolve("data"))) {
      broker.start();
      createTopic(broker.bootstrap(), "clean");
      sendAndAwait(broker.bootstrap(), "clean", 0, 1000);
      assertThat(broker.stop()).as("exit code after SIGTERM (143 = 128 + 15)").isIn(0, 143);
      assertThat(tmp.resolve("data").resolve(".kafka_cleanshutdown")).exists();
      broker.start();
      assertThat(values(consumeAll(broker.bootstrap(), "clean", 1000))).containsExactlyElementsOf(expected(0, 1000));
      String afterRestart = broker.log().substring(broker.log().indexOf("Loaded metadata"));
      assertThat(afterRestart).as("no recovery scan after a clean stop").doesNotContain("Recovered clean-0");
    }
  }

  @Test
  void killedBrokerKeepsAcknowledgedRecordsAndIdempotentRetriesDoNotDuplicate() throws Exception {
    try (BrokerProcess broker = new BrokerProcess(tmp.resolve("data"))) {
      broker.start();
      createTopic(broker.bootstrap(), "killed");
      Properties p = producerProps(broker.bootstrap());
      p.put("delivery.timeout.ms", "120000");
      p.put("request.timeout.ms", "3000");
      p.put("retry.backoff.ms", "100");
      p.put("retry.backoff.max.ms", "500");
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
          sent.add(producer.send(new ProducerRecord<>("killed", 0, null, "v" + i)));
        }
        for (Future<RecordMetadata> f : sent) {
          f.get();
        }
        // Keep sending while the broker dies and comes back: some of these are in flight at the kill.
        for (int i = 500; i < 1500; i++) {
          sent.add(producer.send(new ProducerRecord<>("killed", 0, null, "v" + i)));
          if (i == 700) {
            broker.kill();
          }
          if (i == 900) {
            broker.start();
          }
        }
        producer.flush();
        for (Future<RecordMetadata> f : sent) {
          f.get();
        }
      }
      List<String> values = values(consumeAll(broker.bootstrap(), "killed", 1500));
      assertThat(values).doesNotHaveDuplicates().hasSize(1500);
      assertThat(values).containsExactlyElementsOf(expected(0, 1500));
    }
  }

  private static List<String> expected(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add("v" + i);
    }
    return out;
  }

  private static List<String> values(List<ConsumerRecord<String, String>> records) {
    return records.stream().map(ConsumerRecord::value).toList();
  }

  private static void createTopic(String bootstrap, String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
  }

  private static Properties producerProps(String bootstrap) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("linger.ms", "2");
    return p;
  }

  private static void sendAndAwait(String bootstrap, String topic, int from, int to) throws Exception {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(bootstrap), new StringSerializer(),
        new StringSerializer())) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (int i = from; i < to; i++) {
        sent.add(producer.send(new ProducerRecord<>(topic, 0, null, "v" + i)));
      }
      for (Future<RecordMetadata> f : sent) {
        f.get();
      }
    }
  }

  private static List<ConsumerRecord<String, String>> consumeAll(String bootstrap, String topic, int expected) {
    Map<String, Object> c = new HashMap<>();
    c.put("bootstrap.servers", bootstrap);
    c.put("fetch.max.wait.ms", "100");
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      // One more poll: anything beyond the expected count would be a duplicate.
      consumer.poll(Duration.ofMillis(300)).forEach(out::add);
    }
    return out;
  }
}
