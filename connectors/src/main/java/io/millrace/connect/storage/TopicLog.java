package io.millrace.connect.storage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link KeyValueLog} on a compacted topic, read whole by every worker (Kafka Connect's
 * KafkaBasedLog): one thread owns a consumer assigned to every partition and delivers records
 * to the listener; writes go through an idempotent producer with {@code acks=all}.
 *
 * <p>Thread-safe. The listener runs on the reader thread, {@code millrace-connect-log-TOPIC}.
 */
public final class TopicLog implements KeyValueLog {
  private static final Logger LOG = LoggerFactory.getLogger(TopicLog.class);
  private static final Duration POLL = Duration.ofMillis(500);

  /**
   * Where the topic is and how to create it when it does not exist. {@code configKey} is the
   * worker key that names the topic (for messages). An {@code ordered} log must keep one order
   * across all keys: its topic is created with one partition, and one with more is refused.
   */
  public record Spec(String topic, String configKey, int partitions, short replicationFactor,
      boolean ordered, Map<String, Object> clientProps) {}

  private final Spec spec;
  private final ConcurrentLinkedQueue<CompletableFuture<Void>> endRequests =
      new ConcurrentLinkedQueue<>();
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private KafkaProducer<byte[], byte[]> producer;
  private KafkaConsumer<byte[], byte[]> consumer;
  private Thread reader;
  private volatile boolean running = true;

  public TopicLog(Spec spec) {
    this.spec = spec;
  }

  @Override
  public CompletableFuture<Void> start(Listener listener) {
    try {
      ensureTopic();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    Map<String, Object> p = new HashMap<>(spec.clientProps());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "millrace-connect-" + spec.topic() + "-writer");
    producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    Map<String, Object> c = new HashMap<>(spec.clientProps());
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "millrace-connect-" + spec.topic() + "-reader");
    c.remove(ConsumerConfig.GROUP_ID_CONFIG);
    consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> parts = new ArrayList<>();
    consumer.partitionsFor(spec.topic(), Duration.ofSeconds(30))
        .forEach(pi -> parts.add(new TopicPartition(pi.topic(), pi.partition())));
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
    endRequests.add(started);
    reader = new Thread(() -> readLoop(listener), "millrace-connect-log-" + spec.topic());
    reader.setDaemon(true);
    reader.start();
    return started;
  }

  private void ensureTopic() {
    Map<String, Object> a = new HashMap<>(spec.clientProps());
    a.putIfAbsent("default.api.timeout.ms", 30_000);
    Admin admin = Admin.create(a);
    try {
      Map<String, TopicDescription> found;
      try {
        found = admin.describeTopics(List.of(spec.topic())).allTopicNames().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
          throw new ConnectException("Cannot look up topic " + spec.topic() + " on "
              + spec.clientProps().get("bootstrap.servers") + ": " + e.getCause().getMessage(),
              e.getCause());
        }
        found = Map.of();
      }
      if (!found.isEmpty()) {
        int partitions = found.get(spec.topic()).partitions().size();
        if (spec.ordered() && partitions != 1) {
          throw new ConnectException("Topic " + spec.topic() + " (" + spec.configKey()
              + ") must have a single partition, so that every worker reads its records in one "
              + "order, but it has " + partitions);
        }
        return;
      }
      Optional<Short> rf = spec.replicationFactor() < 0 ? Optional.empty()
          : Optional.of(spec.replicationFactor());
      int partitions = spec.ordered() ? 1 : spec.partitions();
      NewTopic topic = new NewTopic(spec.topic(), Optional.of(partitions), rf)
          .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
      try {
        admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        LOG.info("Created topic {} ({} partitions, compacted)", spec.topic(), partitions);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new ConnectException("Cannot create topic " + spec.topic() + ": "
              + e.getCause().getMessage(), e.getCause());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectException("Interrupted while creating topic " + spec.topic(), e);
    } catch (TimeoutException e) {
      throw new ConnectException("Timed out looking up topic " + spec.topic()
          + " on " + spec.clientProps().get("bootstrap.servers"), e);
    } finally {
      admin.close(Duration.ofSeconds(1));
    }
  }

  private void readLoop(Listener listener) {
    List<CompletableFuture<Void>> waiting = new ArrayList<>();
    Map<TopicPartition, Long> target = null;
    while (running) {
      try {
        if (target == null && (!endRequests.isEmpty() || !waiting.isEmpty())) {
          CompletableFuture<Void> f;
          while ((f = endRequests.poll()) != null) {
            waiting.add(f);
          }
          target = consumer.endOffsets(consumer.assignment());
        }
        if (target != null && caughtUp(target)) {
          waiting.forEach(w -> w.complete(null));
          waiting.clear();
          target = null;
          continue;
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
          try {
            listener.onRecord(r.key(), r.value());
          } catch (RuntimeException e) {
            LOG.error("Skipping unreadable record at {}-{} offset {}", r.topic(), r.partition(),
                r.offset(), e);
          }
        }
      } catch (WakeupException e) {
        // a readToEnd request or close
      } catch (RuntimeException e) {
        if (!running) {
          break;
        }
        LOG.warn("Reading {} failed; retrying", spec.topic(), e);
        waiting.forEach(w -> w.completeExceptionally(e));
        waiting.clear();
        target = null;
      }
    }
    ConnectException closed = new ConnectException("log of " + spec.topic() + " closed");
    waiting.forEach(w -> w.completeExceptionally(closed));
    endRequests.forEach(w -> w.completeExceptionally(closed));
    consumer.close(Duration.ZERO);
  }

  private boolean caughtUp(Map<TopicPartition, Long> target) {
    for (Map.Entry<TopicPartition, Long> e : target.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public CompletableFuture<Void> send(byte[] key, byte[] value) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    producer.send(new ProducerRecord<>(spec.topic(), key, value), (md, err) -> {
      if (err != null) {
        done.completeExceptionally(err);
      } else {
        done.complete(null);
      }
    });
    return done;
  }

  @Override
  public CompletableFuture<Void> readToEnd() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    endRequests.add(f);
    if (consumer != null) {
      consumer.wakeup();
    }
    return f;
  }

  @Override
  public void close() {
    running = false;
    if (consumer != null) {
      consumer.wakeup();
    }
    if (reader != null) {
      try {
        reader.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }
}
