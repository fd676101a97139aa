package io.millrace.streams.internals.processor;

import io.millrace.streams.errors.DeserializationExceptionHandler;
import io.millrace.streams.errors.ErrorHandlerContext;
import io.millrace.streams.errors.HandlerResponse;
import io.millrace.streams.errors.StreamsException;
import io.millrace.streams.processor.TaskId;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns a task's raw input records into typed ones with their source's deserializers. A failure
 * goes to the deserialization exception handler, which stops the task (a {@link
 * StreamsException} naming the record) or drops the record, counting it and sending it to the
 * dead-letter topic if the handler asks.
 *
 * <p>Threading: the task's thread only.
 */
final class RecordDeserializer {
  private final TaskId task;
  private final DeserializationExceptionHandler handler;
  private final TaskMetrics metrics;
  private final RecordCollector collector;

  RecordDeserializer(TaskId task, DeserializationExceptionHandler handler, TaskMetrics metrics,
      RecordCollector collector) {
    this.task = task;
    this.handler = handler;
    this.metrics = metrics;
    this.collector = collector;
  }

  /** The typed record, or null if it could not be read and the handler chose to go on. */
  ConsumerRecord<Object, Object> deserialize(SourceNode source, ConsumerRecord<byte[], byte[]> raw) {
    try {
      Object key = source.keyDeserializer().deserialize(raw.topic(), raw.headers(), raw.key());
      Object value = source.valueDeserializer().deserialize(raw.topic(), raw.headers(), raw.value());
      return new ConsumerRecord<>(raw.topic(), raw.partition(), raw.offset(), raw.timestamp(), raw.timestampType(),
          raw.serializedKeySize(), raw.serializedValueSize(), key, value, raw.headers(), raw.leaderEpoch());
    } catch (RuntimeException e) {
      return handle(source, raw, e);
    }
  }

  private ConsumerRecord<Object, Object> handle(SourceNode source, ConsumerRecord<byte[], byte[]> raw,
      RuntimeException e) {
    ErrorHandlerContext ctx =
        new ErrorHandlerContext(raw.topic(), raw.partition(), raw.offset(), source.name(), task, raw.timestamp());
    HandlerResponse response;
    try {
      response = handler.handle(ctx, raw, e);
    } catch (RuntimeException handlerFailure) {
      throw new StreamsException("The deserialization exception handler failed on " + raw.topic() + "-"
          + raw.partition() + " offset " + raw.offset(), handlerFailure, task);
    }
    if (response == null || !response.resumed()) {
      throw new StreamsException("Cannot deserialize record " + raw.topic() + "-" + raw.partition() + " offset "
          + raw.offset() + " in task " + task + " (source " + source.name() + "): " + e.getMessage(), e, task);
    }
    metrics.recordDropped();
    if (!response.deadLetterRecords().isEmpty()) {
      collector.sendDeadLetters(response.deadLetterRecords(), ctx);
    }
    return null;
  }
}
