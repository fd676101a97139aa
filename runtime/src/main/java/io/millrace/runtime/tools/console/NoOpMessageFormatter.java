package io.millrace.runtime.tools.console;

import java.io.PrintStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.MessageFormatter;

/** Prints nothing: with {@code --max-messages} it measures or drains a topic. Kafka's {@code NoOpMessageFormatter}. */
public final class NoOpMessageFormatter implements MessageFormatter {
  @Override
  public void writeTo(ConsumerRecord<byte[], byte[]> record, PrintStream output) {
    // Deliberately nothing: the record is consumed, not shown.
  }
}
