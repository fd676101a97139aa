/**
 * Serdes beyond kafka-clients' own ({@link org.apache.kafka.common.serialization.Serdes}
 * already has String, Long, Integer, Double, ByteArray, UUID and more, in Kafka's encodings):
 * JSON through Jackson, and windowed keys in Kafka Streams' layouts.
 */
package io.millrace.streams.serde;
