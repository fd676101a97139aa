package io.millrace.streams.internals.processor;

import io.millrace.streams.errors.ErrorHandlerContext;
import io.millrace.streams.processor.StreamPartitioner;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The collector of a standby task's stores: standbys only read changelogs, so any attempt to
 * produce is a bug and fails at once. A standby promoted to active switches to a real collector.
 *
 * <p>Stateless and thread-safe.
 */
public final class StandbyRecordCollector implements RecordCollector {
  public static final StandbyRecordCollector INSTANCE = new StandbyRecordCollector();

  private StandbyRecordCollector() {}

  @Override
  public <K, V> void send(String topic, K key, V value, Headers headers, long timestamp,
      Serializer<K> keySerializer, Serializer<V> valueSerializer,
      StreamPartitioner<? super K, ? super V> partitioner, ErrorHandlerContext errorContext) {
    throw new IllegalStateException("a standby task does not produce");
  }

  @Override
  public void sendChangelog(TopicPartition changelog, byte[] key, byte[] value, long timestamp) {
    throw new IllegalStateException("a standby task does not write changelogs");
  }

  @Override
  public void sendDeadLetters(Iterable<ProducerRecord<byte[], byte[]>> records, ErrorHandlerContext context) {
    throw new IllegalStateException("a standby task does not produce");
  }

  @Override
  public void flush() {}

  @Override
  public Map<TopicPartition, Long> changelogOffsets() {
    return Map.of();
  }
}
