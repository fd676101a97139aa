package io.millrace.streams.testing;

import io.millrace.streams.errors.ErrorHandlerContext;
import io.millrace.streams.errors.ProductionExceptionHandler;
import io.millrace.streams.internals.processor.RecordCollector;
import io.millrace.streams.internals.processor.SerializingRecordCollector;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The test driver's topics, in memory, one partition each: what the topology wrote (output,
 * repartition, changelog and dead-letter topics), the records written to a topic the topology
 * also reads (a repartition topic), waiting to go back in, and the next offset of each input.
 *
 * <p>Not thread-safe: the driver's thread only.
 */
final class DriverTopics {
  private final Predicate<String> readByTopology;
  private final Map<String, ArrayDeque<ProducerRecord<byte[], byte[]>>> outputs = new LinkedHashMap<>();
  private final Set<String> produced = new LinkedHashSet<>();
  private final Map<String, Long> nextOffsets = new HashMap<>();
  private final ArrayDeque<ProducerRecord<byte[], byte[]>> backlog = new ArrayDeque<>();
  private final Map<TopicPartition, Long> changelogOffsets = new HashMap<>();

  /** @param readByTopology whether a topic is one of the topology's sources */
  DriverTopics(Predicate<String> readByTopology) {
    this.readByTopology = readByTopology;
  }

  /** A collector for one task, writing here. */
  RecordCollector collector(ProductionExceptionHandler handler) {
    return new Collector(handler);
  }

  /** The offset the next record piped into {@code topic} gets. */
  long nextOffset(String topic) {
    return nextOffsets.merge(topic, 1L, Long::sum) - 1;
  }

  /** The next record written to a topic the topology reads, or null. */
  ProducerRecord<byte[], byte[]> pollBacklog() {
    return backlog.poll();
  }

  boolean hasBacklog() {
    return !backlog.isEmpty();
  }

  ProducerRecord<byte[], byte[]> readOutput(String topic) {
    ArrayDeque<ProducerRecord<byte[], byte[]>> q = outputs.get(topic);
    return q == null ? null : q.poll();
  }

  long outputSize(String topic) {
    ArrayDeque<ProducerRecord<byte[], byte[]>> q = outputs.get(topic);
    return q == null ? 0 : q.size();
  }

  Set<String> producedTopicNames() {
    return Collections.unmodifiableSet(produced);
  }

  private void capture(ProducerRecord<byte[], byte[]> r) {
    produced.add(r.topic());
    outputs.computeIfAbsent(r.topic(), t -> new ArrayDeque<>()).add(r);
    if (readByTopology.test(r.topic())) {
      backlog.add(r);
    }
  }

  /** Keeps output here; changelog offsets count up per partition. */
  private final class Collector extends SerializingRecordCollector {
    Collector(ProductionExceptionHandler handler) {
      super(handler);
    }

    @Override
    protected int partitionCount(String topic) {
      return 1;
    }

    @Override
    protected void deliver(ProducerRecord<byte[], byte[]> record, ErrorHandlerContext context) {
      capture(new ProducerRecord<>(record.topic(), 0, record.timestamp(), record.key(), record.value(),
          record.headers()));
    }

    @Override
    public void sendChangelog(TopicPartition changelog, byte[] key, byte[] value, long timestamp) {
      changelogOffsets.merge(changelog, 1L, Long::sum);
      capture(new ProducerRecord<>(changelog.topic(), changelog.partition(), timestamp, key, value));
    }

    @Override
    public void sendDeadLetters(Iterable<ProducerRecord<byte[], byte[]>> records, ErrorHandlerContext context) {
      for (ProducerRecord<byte[], byte[]> r : records) {
        capture(r);
      }
    }

    @Override
    public void flush() {}

    @Override
    public Map<TopicPartition, Long> changelogOffsets() {
      return Map.copyOf(changelogOffsets);
    }
  }
}
