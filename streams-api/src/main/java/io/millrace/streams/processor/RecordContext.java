package io.millrace.streams.processor;

import org.apache.kafka.common.header.Headers;

/**
 * The record being written by a sink: its timestamp and headers, and the source record's
 * topic, partition and offset when there is one (null and -1 in punctuation).
 *
 * <p>Immutable; thread-safe.
 */
public record RecordContext(
    long timestamp, Headers headers, String topic, int partition, long offset) {}
