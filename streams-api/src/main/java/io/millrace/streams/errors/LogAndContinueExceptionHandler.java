package io.millrace.streams.errors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the bad record's position and skips it; usable for deserialization and production.
 *
 * <p>Threading: one instance per stream thread, made from the configuration and called on that
 * thread.
 */
public class LogAndContinueExceptionHandler
    implements DeserializationExceptionHandler, ProductionExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(LogAndContinueExceptionHandler.class);

  @Override
  public HandlerResponse handle(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    log.warn(
        "Skipping record {}-{} offset {} in task {}: cannot deserialize it",
        record.topic(),
        record.partition(),
        record.offset(),
        context.taskId(),
        exception);
    return HandlerResponse.resume();
  }

  @Override
  public HandlerResponse handle(
      ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    log.warn(
        "Skipping output record to {} from node {} in task {}: cannot produce it",
        record.topic(),
        context.processorNodeName(),
        context.taskId(),
        exception);
    return HandlerResponse.resume();
  }

  @Override
  public void configure(java.util.Map<String, ?> configs) {}
}
