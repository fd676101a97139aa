package io.millrace.streams.processor;

/**
 * Chooses the output topic per record (for {@code KStream.to(TopicNameExtractor)}). The topic
 * must exist; the runtime does not create it.
 */
@FunctionalInterface
public interface TopicNameExtractor<K, V> {

  String extract(K key, V value, RecordContext context);
}
