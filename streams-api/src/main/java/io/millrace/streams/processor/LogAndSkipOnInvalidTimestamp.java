package io.millrace.streams.processor;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record's own timestamp; a record with a negative one is logged and dropped.
 *
 * <p>Stateless; thread-safe.
 */
public class LogAndSkipOnInvalidTimestamp implements TimestampExtractor {
  private static final Logger log = LoggerFactory.getLogger(LogAndSkipOnInvalidTimestamp.class);

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    long ts = record.timestamp();
    if (ts < 0) {
      log.warn(
          "Dropping record {}-{} offset {}: invalid timestamp {}",
          record.topic(),
          record.partition(),
          record.offset(),
          ts);
    }
    return ts;
  }
}
