package io.millrace.streams.processor;

import io.millrace.streams.errors.StreamsException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The default extractor: the record's own timestamp (producer time or log-append time); a
 * record with a negative timestamp fails the task with an error naming it.
 *
 * <p>Stateless; thread-safe.
 */
public class FailOnInvalidTimestamp implements TimestampExtractor {

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    long ts = record.timestamp();
    if (ts < 0) {
      throw new StreamsException(
          "Record at "
              + record.topic()
              + "-"
              + record.partition()
              + " offset "
              + record.offset()
              + " has the invalid timestamp "
              + ts
              + "; use LogAndSkipOnInvalidTimestamp or another TimestampExtractor"
              + " (default.timestamp.extractor) to process such records");
    }
    return ts;
  }
}
