package io.millrace.streams.errors;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Configurable;

/**
 * Decides what happens when a record cannot be serialized or produced by a sink (configured
 * with {@code production.exception.handler}; needs a public no-argument constructor). The
 * default, {@link DefaultProductionExceptionHandler}, fails the task; {@link
 * LogAndContinueExceptionHandler} also implements this interface and skips the record.
 *
 * <p>Retriable send errors are retried by the producer itself before reaching the handler.
 *
 * <p>Threading: one instance per stream thread, made from the configuration and called on that
 * thread.
 */
public interface ProductionExceptionHandler extends Configurable {

  /**
   * @param record the record as serialized (key or value may be null if serialization failed)
   */
  HandlerResponse handle(
      ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception);

  @Override
  default void configure(java.util.Map<String, ?> configs) {}
}
