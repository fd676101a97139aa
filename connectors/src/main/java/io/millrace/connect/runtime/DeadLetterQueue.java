package io.millrace.connect.runtime;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * The dead-letter topic of a sink connector: failed records go there as they were consumed
 * (same key, value and headers), with Kafka Connect's {@code __connect.errors.*} headers when
 * {@code errors.deadletterqueue.context.headers.enable} is set. The topic is created on first
 * use if missing. Thread-safe (the producer is).
 */
public final class DeadLetterQueue implements AutoCloseable {
  static final String PREFIX = "__connect.errors.";
  private final String topic;
  private final TaskId id;
  private final boolean contextHeaders;
  private final KafkaProducer<byte[], byte[]> producer;

  public DeadLetterQueue(String topic, short replication, TaskId id, boolean contextHeaders,
      Map<String, Object> clientProps) {
    this.topic = topic;
    this.id = id;
    this.contextHeaders = contextHeaders;
    ensureTopic(replication, clientProps);
    Map<String, Object> p = new HashMap<>(clientProps);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "connector-dlq-producer-" + id);
    producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private void ensureTopic(short replication, Map<String, Object> clientProps) {
    try (Admin admin = Admin.create(clientProps)) {
      Optional<Short> rf = replication < 0 ? Optional.empty() : Optional.of(replication);
      admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), rf))).all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new ConnectException("Cannot create dead-letter topic " + topic, e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectException("Interrupted creating dead-letter topic " + topic, e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new ConnectException("Timed out creating dead-letter topic " + topic, e);
    }
  }

  /** Sends the record to the dead-letter topic; the future completes when it is written. */
  public Future<?> report(ConsumerRecord<byte[], byte[]> original, Stage stage, Throwable error) {
    Headers headers = new RecordHeaders(original.headers().toArray());
    if (contextHeaders) {
      put(headers, "topic", original.topic());
      put(headers, "partition", Integer.toString(original.partition()));
      put(headers, "offset", Long.toString(original.offset()));
      put(headers, "connector.name", id.connector());
      put(headers, "task.id", Integer.toString(id.task()));
      put(headers, "stage", stage.name());
      put(headers, "exception.class.name", error.getClass().getName());
      put(headers, "exception.message", String.valueOf(error.getMessage()));
      StringWriter trace = new StringWriter();
      error.printStackTrace(new PrintWriter(trace));
      put(headers, "exception.stacktrace", trace.toString());
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    producer.send(new ProducerRecord<>(topic, null, original.key(), original.value(), headers),
        (md, err) -> {
          if (err == null) {
            done.complete(null);
          } else {
            done.completeExceptionally(err);
          }
        });
    return done;
  }

  /** Waits until every reported record is written. */
  public void flush() {
    producer.flush();
  }

  private static void put(Headers headers, String name, String value) {
    headers.add(PREFIX + name, value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
