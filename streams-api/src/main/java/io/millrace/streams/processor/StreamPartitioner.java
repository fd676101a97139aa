package io.millrace.streams.processor;

/**
 * Chooses the partition a sink writes a record to. Without one, the producer's default applies
 * (murmur2 of the serialized key, as every Kafka client computes it).
 *
 * <p>Threading: called on stream threads, one task at a time; one instance serves every task of the
 * instance, so it must be thread-safe (a lambda without mutable captured state is).
 */
@FunctionalInterface
public interface StreamPartitioner<K, V> {

  /**
   * @return the partition, or null for the producer's default choice
   */
  Integer partition(String topic, K key, V value, int numPartitions);
}
