package io.millrace.streams.processor;

/**
 * Where the record being processed came from.
 *
 * <p>Immutable; thread-safe.
 *
 * @param topic the source topic (the full name, for internal topics with the application id)
 * @param partition its partition
 * @param offset its offset
 */
public record RecordMetadata(String topic, int partition, long offset) {}
