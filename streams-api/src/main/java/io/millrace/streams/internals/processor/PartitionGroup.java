package io.millrace.streams.internals.processor;

import io.millrace.streams.errors.StreamsException;
import io.millrace.streams.processor.TaskId;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A task's input partitions: the buffered records of each, the choice of the next record to
 * process (the head with the lowest event time across the partitions, so joined inputs meet in
 * time order), and how far each partition has been consumed, to commit with its partition time.
 *
 * <p>Threading: the task's thread only.
 */
final class PartitionGroup {
  private final Map<TopicPartition, RecordQueue> queues = new LinkedHashMap<>();
  private final RecordQueue[] queueArray;
  private final Map<TopicPartition, Long> consumedOffsets = new HashMap<>();

  PartitionGroup(TaskId task, Set<TopicPartition> partitions, ProcessorTopology topology) {
    for (TopicPartition tp : partitions) {
      SourceNode source = topology.sourcesByTopic().get(tp.topic());
      if (source == null) {
        throw new StreamsException("Task " + task + " has no source for input " + tp);
      }
      queues.put(tp, new RecordQueue(tp, source));
    }
    queueArray = queues.values().toArray(new RecordQueue[0]);
  }

  Set<TopicPartition> partitions() {
    return Collections.unmodifiableSet(queues.keySet());
  }

  /** The partition's queue, or null if the task does not read it. */
  RecordQueue queue(TopicPartition tp) {
    return queues.get(tp);
  }

  /** The queue whose head record has the lowest event time, or null if nothing is buffered. */
  RecordQueue next() {
    RecordQueue next = null;
    for (RecordQueue q : queueArray) {
      if (!q.isEmpty() && (next == null || q.headTimestamp() < next.headTimestamp())) {
        next = q;
      }
    }
    return next;
  }

  /** The record at {@code offset} of {@code tp} is done with (processed or skipped). */
  void consumed(TopicPartition tp, long offset) {
    consumedOffsets.put(tp, offset);
  }

  int bufferedRecords() {
    int n = 0;
    for (RecordQueue q : queueArray) {
      n += q.size();
    }
    return n;
  }

  int bufferedRecords(TopicPartition tp) {
    RecordQueue q = queues.get(tp);
    return q == null ? 0 : q.size();
  }

  /**
   * The offsets to commit: one past the last consumed record of each partition, with the
   * partition's time in the metadata so that the next owner keeps stream time (and so which
   * windows are closed) where it was.
   */
  Map<TopicPartition, OffsetAndMetadata> committableOffsets() {
    Map<TopicPartition, OffsetAndMetadata> m = new HashMap<>();
    consumedOffsets.forEach((tp, o) -> m.put(tp,
        new OffsetAndMetadata(o + 1, PartitionTime.encode(queues.get(tp).partitionTime()))));
    return m;
  }

  /** Takes up the partition times committed by a previous owner; returns their maximum (or -1). */
  long initializePartitionTimes(Map<TopicPartition, OffsetAndMetadata> committed) {
    long max = -1;
    for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) {
      RecordQueue q = queues.get(e.getKey());
      if (q == null || e.getValue() == null) {
        continue;
      }
      long t = PartitionTime.decode(e.getValue().metadata());
      if (t >= 0) {
        q.initPartitionTime(t);
        max = Math.max(max, t);
      }
    }
    return max;
  }

  void clear() {
    for (RecordQueue q : queueArray) {
      q.clear();
    }
  }
}
