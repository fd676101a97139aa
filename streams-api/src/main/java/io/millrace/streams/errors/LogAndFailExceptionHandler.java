package io.millrace.streams.errors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the bad record's position and fails the task: the default deserialization handler.
 *
 * <p>Threading: one instance per stream thread, made from the configuration and called on that
 * thread.
 */
public class LogAndFailExceptionHandler implements DeserializationExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(LogAndFailExceptionHandler.class);

  @Override
  public HandlerResponse handle(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    log.error(
        "Cannot deserialize record {}-{} offset {} in task {}; failing the task"
            + " (deserialization.exception.handler can skip it instead)",
        record.topic(),
        record.partition(),
        record.offset(),
        context.taskId(),
        exception);
    return HandlerResponse.fail();
  }
}
