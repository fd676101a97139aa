package io.millrace.runtime;

import io.millrace.engine.EmbeddedBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;

/**
 * {@code millrace warm-up} (hidden): runs an {@link EmbeddedBroker} (loopback, ephemeral ports, a
 * temporary directory it deletes) and a producer, a consumer group and an admin client against
 * it, then stops. {@code bin/millrace} runs it once per jar under
 * {@code -XX:ArchiveClassesAtExit}, so that the JVM
 * records the classes a broker and the tools load into a class-data sharing archive; every later
 * start maps that archive instead of loading and verifying those classes again (about 0.6 s less
 * per start on a 2-core machine). Exit code 0 when the round trip worked, 1 otherwise.
 */
@Command(name = "warm-up", hidden = true, mixinStandardHelpOptions = true,
    description = "Run a broker and clients briefly on loopback (records classes for class-data sharing).")
public final class WarmUpCommand implements Callable<Integer> {

  private static final String TOPIC = "warm-up";
  private static final int RECORDS = 1000;

  @Override
  public Integer call() throws Exception {
    // Three network threads, as a broker started from its defaults has, so that their classes
    // (and one server socket shared on an ephemeral port) are part of the recording.
    try (EmbeddedBroker broker = EmbeddedBroker.start(Map.of(
        "num.network.threads", "3",
        "metrics.host", "127.0.0.1",
        "metrics.port", "0",
        "offsets.topic.num.partitions", "1",
        "group.initial.rebalance.delay.ms", "0"))) {
      roundTrip(broker.bootstrapServers());
      return 0;
    } catch (RuntimeException e) {
      System.err.println("millrace warm-up: " + e);
      return 1;
    }
  }

  private static void roundTrip(String bootstrap) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get();
      admin.describeTopics(List.of(TOPIC)).allTopicNames().get();
    }
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.LINGER_MS_CONFIG, 1), new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < RECORDS; i++) {
        producer.send(new ProducerRecord<>(TOPIC, "key-" + i, "value-" + i));
      }
      producer.flush();
    }
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "warm-up",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(TOPIC));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      int read = 0;
      while (read < RECORDS) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("read " + read + " of " + RECORDS + " records within 30 s");
        }
        read += consumer.poll(Duration.ofMillis(200)).count();
      }
      consumer.commitSync();
    }
  }
}
