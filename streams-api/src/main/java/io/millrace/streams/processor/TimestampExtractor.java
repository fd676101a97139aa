package io.millrace.streams.processor;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Gives each consumed record its event time, which drives stream time, windows and joins.
 *
 * <p>Implementations need a public no-argument constructor when named in the configuration
 * ({@code default.timestamp.extractor}).
 *
 * <p>Threading: called on stream threads, one task at a time; one instance serves every task of the
 * instance, so it must be thread-safe (a lambda without mutable captured state is).
 */
@FunctionalInterface
public interface TimestampExtractor {

  /**
   * @param record the record, already deserialized
   * @param partitionTime the largest timestamp seen on this partition so far, or -1
   * @return the event time in ms; a negative value drops the record (counted and logged)
   */
  long extract(ConsumerRecord<Object, Object> record, long partitionTime);
}
