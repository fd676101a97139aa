package io.millrace.streams.errors;

import org.apache.kafka.clients.producer.ProducerRecord;

/** Fails the task on any production or serialization error: the default. */
public class DefaultProductionExceptionHandler implements ProductionExceptionHandler {

  @Override
  public HandlerResponse handle(
      ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    return HandlerResponse.fail();
  }
}
