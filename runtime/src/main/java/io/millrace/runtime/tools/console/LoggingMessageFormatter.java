package io.millrace.runtime.tools.console;

import java.io.PrintStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's {@code LoggingMessageFormatter}: prints like {@link DefaultMessageFormatter} and also logs
 * each record (topic, partition, offset, timestamp) at INFO.
 */
public final class LoggingMessageFormatter extends DefaultMessageFormatter {

  private static final Logger log = LoggerFactory.getLogger(LoggingMessageFormatter.class);

  @Override
  public void writeTo(ConsumerRecord<byte[], byte[]> record, PrintStream output) {
    super.writeTo(record, output);
    if (log.isInfoEnabled()) {
      log.info("topic:{}, partition:{}, offset:{}, {}:{}, key:{} bytes, value:{} bytes", record.topic(),
          record.partition(), record.offset(),
          record.timestampType() == TimestampType.NO_TIMESTAMP_TYPE ? "NO_TIMESTAMP" : record.timestampType(),
          record.timestamp(), record.key() == null ? 0 : record.key().length,
          record.value() == null ? 0 : record.value().length);
    }
  }
}
