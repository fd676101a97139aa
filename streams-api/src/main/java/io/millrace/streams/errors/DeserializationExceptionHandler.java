package io.millrace.streams.errors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.Configurable;

/**
 * Decides what happens to a consumed record that cannot be deserialized (configured with
 * {@code deserialization.exception.handler}; needs a public no-argument constructor).
 * {@link #configure} receives the application's configuration.
 *
 * <p>Built in: {@link LogAndFailExceptionHandler} (the default), {@link
 * LogAndContinueExceptionHandler}, and {@link DeadLetterQueueExceptionHandler} which sends the
 * raw record to {@code errors.dead.letter.queue.topic.name} and goes on.
 *
 * <p>Threading: one instance per stream thread, made from the configuration and called on that
 * thread.
 */
public interface DeserializationExceptionHandler extends Configurable {

  HandlerResponse handle(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception);

  @Override
  default void configure(java.util.Map<String, ?> configs) {}
}
