package io.millrace.streams.internals.processor;

import java.util.ArrayDeque;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** The buffered, deserialized records of one input partition of a task, in offset order. */
final class RecordQueue {
  /** A deserialized record and its extracted event time. */
  record Stamped(ConsumerRecord<Object, Object> record, long timestamp) {}

  private final TopicPartition partition;
  private final SourceNode source;
  private final ArrayDeque<Stamped> records = new ArrayDeque<>();
  private long partitionTime = -1;

  RecordQueue(TopicPartition partition, SourceNode source) {
    this.partition = partition;
    this.source = source;
  }

  TopicPartition partition() {
    return partition;
  }

  SourceNode source() {
    return source;
  }

  void add(Stamped r) {
    records.add(r);
    partitionTime = Math.max(partitionTime, r.timestamp());
  }

  Stamped poll() {
    return records.poll();
  }

  /** Event time of the next record, or -1 if empty. */
  long headTimestamp() {
    Stamped head = records.peek();
    return head == null ? -1 : head.timestamp();
  }

  boolean isEmpty() {
    return records.isEmpty();
  }

  int size() {
    return records.size();
  }

  long partitionTime() {
    return partitionTime;
  }

  /** Restores the partition time a previous owner committed (never moves it back). */
  void initPartitionTime(long time) {
    partitionTime = Math.max(partitionTime, time);
  }

  void clear() {
    records.clear();
  }
}
