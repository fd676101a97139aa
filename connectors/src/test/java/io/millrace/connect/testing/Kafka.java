package io.millrace.connect.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assumptions;

/** Plain kafka-clients helpers for the integration tests. */
public final class Kafka {
  private Kafka() {}

  public static void createTopic(String bootstrap, String topic, int partitions) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())))
          .all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException(e.getCause());
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Skips the test unless the broker runs consumer groups (sink connectors and distributed
   * workers need them).
   */
  public static void requireGroups(String bootstrap) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap,
        "default.api.timeout.ms", "10000", "request.timeout.ms", "5000"))) {
      admin.describeConsumerGroups(List.of("millrace-probe")).all().get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnsupportedVersionException
          || e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
        Assumptions.abort("the broker does not serve consumer groups yet: " + e.getCause());
      }
    } catch (java.util.concurrent.TimeoutException e) {
      Assumptions.abort("the broker does not serve consumer groups yet (timeout)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public static void produce(String bootstrap, String topic, List<String[]> keyValues) {
    try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(
        "bootstrap.servers", bootstrap), new StringSerializer(), new StringSerializer())) {
      for (String[] kv : keyValues) {
        p.send(new ProducerRecord<>(topic, kv[0], kv[1]));
      }
      p.flush();
    }
  }

  /** Reads a topic from the start until {@code n} records arrived (or the timeout). */
  public static List<ConsumerRecord<byte[], byte[]>> consume(String bootstrap, String topic,
      int n, Duration timeout) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers",
        bootstrap), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      long deadline = System.currentTimeMillis() + timeout.toMillis();
      while (parts.isEmpty() && System.currentTimeMillis() < deadline) {
        c.partitionsFor(topic, Duration.ofSeconds(5))
            .forEach(pi -> parts.add(new TopicPartition(topic, pi.partition())));
      }
      c.assign(parts);
      c.seekToBeginning(parts);
      while (out.size() < n && System.currentTimeMillis() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      // anything beyond n shows up as a duplicate in the caller's assertions
      for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(300))) {
        out.add(r);
      }
    }
    return out;
  }

  public static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
    List<String> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      out.add(r.value() == null ? null : new String(r.value(),
          java.nio.charset.StandardCharsets.UTF_8));
    }
    return out;
  }
}
