package io.millrace.streams.internals.runtime;

import io.millrace.streams.errors.ErrorHandlerContext;
import io.millrace.streams.errors.HandlerResponse;
import io.millrace.streams.errors.ProductionExceptionHandler;
import io.millrace.streams.errors.StreamsException;
import io.millrace.streams.internals.processor.SerializingRecordCollector;
import io.millrace.streams.processor.TaskId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's output through its thread's producer. Send errors arrive on the producer's IO
 * thread: the production handler decides there, and a "fail" is kept and thrown on the task's
 * thread at its next send or flush, so the task stops with the first error.
 *
 * <p>Threading: sends and flushes on the task's thread; callbacks on the producer's thread.
 */
final class ProducerRecordCollector extends SerializingRecordCollector {
  private static final Logger log = LoggerFactory.getLogger(ProducerRecordCollector.class);
  private final Producer<byte[], byte[]> producer;
  private final TaskId taskId;
  private final Map<TopicPartition, Long> changelogOffsets = new ConcurrentHashMap<>();
  private final AtomicReference<StreamsException> failure = new AtomicReference<>();

  ProducerRecordCollector(Producer<byte[], byte[]> producer, ProductionExceptionHandler handler, TaskId taskId) {
    super(handler);
    this.producer = producer;
    this.taskId = taskId;
  }

  @Override
  protected int partitionCount(String topic) {
    return producer.partitionsFor(topic).size();
  }

  @Override
  protected void deliver(ProducerRecord<byte[], byte[]> record, ErrorHandlerContext context) {
    send(record, context);
  }

  private void send(ProducerRecord<byte[], byte[]> record, ErrorHandlerContext context) {
    throwIfFailed();
    try {
      producer.send(record, (metadata, exception) -> {
        if (exception != null) {
          onError(record, context, exception);
        }
      });
    } catch (KafkaException e) {
      onError(record, context, e);
      throwIfFailed();
    }
  }

  private void onError(ProducerRecord<byte[], byte[]> record, ErrorHandlerContext context, Exception e) {
    HandlerResponse r = context == null ? HandlerResponse.fail() : handle(context, record, e);
    if (r.resumed()) {
      log.warn("Task {}: a record to {} was not produced and is skipped", taskId, record.topic(), e);
      return;
    }
    failure.compareAndSet(null, new StreamsException("Task " + taskId + " cannot produce to "
        + record.topic() + ": " + e.getMessage(), e, taskId));
  }

  @Override
  public void sendChangelog(TopicPartition changelog, byte[] key, byte[] value, long timestamp) {
    throwIfFailed();
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(changelog.topic(), changelog.partition(), timestamp, key, value);
    try {
      producer.send(record, (metadata, exception) -> {
        if (exception != null) {
          // a lost changelog record would make restored state wrong: always fatal
          failure.compareAndSet(null, new StreamsException("Task " + taskId + " cannot write its changelog "
              + changelog + ": " + exception.getMessage(), exception, taskId));
        } else {
          changelogOffsets.merge(changelog, metadata.offset() + 1, Math::max);
        }
      });
    } catch (KafkaException e) {
      throw new StreamsException("Task " + taskId + " cannot write its changelog " + changelog, e, taskId);
    }
  }

  @Override
  public void sendDeadLetters(Iterable<ProducerRecord<byte[], byte[]>> records, ErrorHandlerContext context) {
    for (ProducerRecord<byte[], byte[]> r : records) {
      send(r, context);
    }
  }

  /** Flushes the whole (shared) producer, then reports this task's failure if any. */
  @Override
  public void flush() {
    producer.flush();
    throwIfFailed();
  }

  void throwIfFailed() {
    StreamsException e = failure.get();
    if (e != null) {
      throw e;
    }
  }

  @Override
  public Map<TopicPartition, Long> changelogOffsets() {
    return Map.copyOf(changelogOffsets);
  }
}
