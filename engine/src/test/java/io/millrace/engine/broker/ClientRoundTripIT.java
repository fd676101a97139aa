package io.millrace.engine.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.EmbeddedBroker;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** kafka-clients 4.4 producer (each acks and codec) and consumer (assign and seek) against the broker. */
class ClientRoundTripIT {

  static EmbeddedBroker broker;

  @BeforeAll
  static void start() {
    broker = EmbeddedBroker.start(Map.of("num.partitions", "2"));
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @ParameterizedTest(name = "acks={0} compression={1}")
  @CsvSource({"all,none", "1,none", "0,none", "all,gzip", "all,snappy", "all,lz4", "all,zstd"})
  void producedRecordsComeBackInOrder(String acks, String compression) throws Exception {
    String topic = "round-trip-" + acks + "-" + compression;
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    int count = 500;
    Properties p = new Properties();
    p.put("bootstrap.servers", broker.bootstrapServers());
    p.put("acks", acks);
    p.put("compression.type", compression);
    p.put("linger.ms", "5");
    if (!acks.equals("all")) {
      p.put("enable.idempotence", "false");
    }
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        sent.add(producer.send(new ProducerRecord<>(topic, 0, "k" + i, "value-" + i)));
      }
      producer.flush();
      for (int i = 0; i < count; i++) {
        RecordMetadata md = sent.get(i).get();
        if (!acks.equals("0")) {
          assertThat(md.offset()).isEqualTo(i);
        }
      }
    }
    List<ConsumerRecord<String, String>> received = consumeFrom(topic, 0, count);
    assertThat(received).hasSize(count);
    for (int i = 0; i < count; i++) {
      assertThat(received.get(i).offset()).isEqualTo(i);
      assertThat(received.get(i).key()).isEqualTo("k" + i);
      assertThat(received.get(i).value()).isEqualTo("value-" + i);
    }
    assertThat(broker.broker().networkStats().zeroCopyBytesSent()).isPositive();
  }

  static List<ConsumerRecord<String, String>> consumeFrom(String topic, long offset, int count) {
    Properties c = new Properties();
    c.put("bootstrap.servers", broker.bootstrapServers());
    c.put("enable.auto.commit", "false");
    c.put("fetch.max.wait.ms", "100");
    List<ConsumerRecord<String, String>> received = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seek(tp, offset);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (received.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(received::add);
      }
    }
    return received;
  }
}
