package io.millrace.streams.errors;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Fails the task on any production or serialization error: the default.
 *
 * <p>Threading: one instance per stream thread, made from the configuration and called on that
 * thread.
 */
public class DefaultProductionExceptionHandler implements ProductionExceptionHandler {

  @Override
  public HandlerResponse handle(
      ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    return HandlerResponse.fail();
  }
}
