package io.millrace.streams.it;

import io.millrace.engine.EmbeddedBroker;
import io.millrace.streams.MillraceStreams;
import io.millrace.streams.StreamsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** A broker, topics, producing, reading the output and waiting on conditions, for the ITs. */
final class StreamsItSupport {
  private StreamsItSupport() {}

  /** A broker tuned for fast group changes (1 s minimum session timeout, no join delay). */
  static EmbeddedBroker broker() {
    return EmbeddedBroker.start(Map.of(
        "group.initial.rebalance.delay.ms", "0",
        "group.min.session.timeout.ms", "1000",
        "offsets.topic.num.partitions", "3",
        "auto.create.topics.enable", "false"));
  }

  static void createTopics(EmbeddedBroker broker, int partitions, String... topics) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin.createTopics(java.util.Arrays.stream(topics).map(t -> new NewTopic(t, partitions, (short) 1)).toList())
          .all().get();
    }
  }

  static Properties streamsProps(EmbeddedBroker broker, String appId, Path stateDir) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "200");
    p.put(StreamsConfig.CONSUMER_PREFIX + "session.timeout.ms", "2000");
    p.put(StreamsConfig.CONSUMER_PREFIX + "heartbeat.interval.ms", "300");
    p.put(StreamsConfig.PRODUCER_PREFIX + "linger.ms", "5");
    return p;
  }

  static void produceLines(EmbeddedBroker broker, String topic, List<String> lines) {
    try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
        "linger.ms", "5"), new StringSerializer(), new StringSerializer())) {
      int i = 0;
      for (String line : lines) {
        p.send(new ProducerRecord<>(topic, "line-" + (i++), line));
      }
      p.flush();
    }
  }

  /** Reads a String/Long topic from the start and keeps the latest value per key. */
  static final class LatestCounts implements AutoCloseable {
    private final KafkaConsumer<String, Long> consumer;
    private final Map<String, Long> latest = new HashMap<>();
    private long records;

    LatestCounts(EmbeddedBroker broker, String topic) {
      consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
          "auto.offset.reset", "earliest"), new StringDeserializer(), new LongDeserializer());
      List<TopicPartition> tps = consumer.partitionsFor(topic).stream()
          .map(pi -> new TopicPartition(topic, pi.partition())).toList();
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
    }

    Map<String, Long> poll() {
      for (ConsumerRecord<String, Long> r : consumer.poll(Duration.ofMillis(100))) {
        latest.put(r.key(), r.value());
        records++;
      }
      return latest;
    }

    long records() {
      return records;
    }

    @Override
    public void close() {
      consumer.close();
    }
  }

  /** Waits for a condition, failing with the last observation after the deadline. */
  static void await(Duration timeout, BooleanSupplier condition, Supplier<String> description) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out after " + timeout + ": " + description.get());
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  static void awaitState(MillraceStreams s, MillraceStreams.State state, Duration timeout) {
    await(timeout, () -> s.state() == state, () -> "state is " + s.state() + ", waiting for " + state);
  }

  static Path tempDir(String prefix) throws java.io.IOException {
    return Files.createTempDirectory(prefix);
  }
}
