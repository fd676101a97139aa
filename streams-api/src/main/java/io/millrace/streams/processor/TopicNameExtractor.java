package io.millrace.streams.processor;

/**
 * Chooses the output topic per record (for {@code KStream.to(TopicNameExtractor)}). The topic
 * must exist; the runtime does not create it.
 *
 * <p>Threading: called on stream threads, one task at a time; one instance serves every task of the
 * instance, so it must be thread-safe (a lambda without mutable captured state is).
 */
@FunctionalInterface
public interface TopicNameExtractor<K, V> {

  String extract(K key, V value, RecordContext context);
}
