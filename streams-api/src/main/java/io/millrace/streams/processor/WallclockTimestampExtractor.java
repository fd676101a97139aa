package io.millrace.streams.processor;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Processing time: the system clock when the record is read, whatever the record says.
 *
 * <p>Stateless; thread-safe.
 */
public class WallclockTimestampExtractor implements TimestampExtractor {

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    return System.currentTimeMillis();
  }
}
