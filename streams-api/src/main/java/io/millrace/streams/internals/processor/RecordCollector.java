package io.millrace.streams.internals.processor;

import io.millrace.streams.errors.ErrorHandlerContext;
import io.millrace.streams.processor.StreamPartitioner;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Where a task's output goes: sink records and changelog records. The runtime sends them with
 * the thread's producer; the test driver keeps them.
 *
 * <p>Threading: its task's stream thread; {@link #flush} blocks until everything sent is
 * acknowledged and throws the first fatal send failure as a {@code StreamsException}.
 */
public interface RecordCollector {

  /** Serializes and sends a sink record; serialization and send errors go to the handler. */
  <K, V> void send(
      String topic,
      K key,
      V value,
      Headers headers,
      long timestamp,
      Serializer<K> keySerializer,
      Serializer<V> valueSerializer,
      StreamPartitioner<? super K, ? super V> partitioner,
      ErrorHandlerContext errorContext);

  /** Sends a changelog record to the task's changelog partition. */
  void sendChangelog(TopicPartition changelog, byte[] key, byte[] value, long timestamp);

  /** Sends records a deserialization handler asked to dead-letter. */
  void sendDeadLetters(Iterable<ProducerRecord<byte[], byte[]>> records, ErrorHandlerContext context);

  /** Waits until everything sent so far is acknowledged; throws if a send failed fatally. */
  void flush();

  /** The offset after the last acknowledged changelog record, per changelog partition. */
  Map<TopicPartition, Long> changelogOffsets();
}
