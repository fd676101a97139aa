package io.millrace.streams.internals.runtime;

import io.millrace.streams.internals.processor.StandbyTask;
import io.millrace.streams.internals.processor.StreamTask;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one stream thread's active tasks: hands them the polled records (pausing a partition
 * whose buffer is full until half of it has drained), processes in batches taking turns,
 * punctuates on wall-clock time, and commits.
 *
 * <p>Threading: its stream thread only.
 */
final class TaskExecutor {
  private static final Logger log = LoggerFactory.getLogger(TaskExecutor.class);
  /** Records a task processes before the next task's turn. */
  private static final int PROCESS_BATCH = 100;

  private final String threadName;
  private final Tasks tasks;
  private final int maxBufferedPerPartition;
  private final Set<TopicPartition> pausedForBuffer = new HashSet<>();
  private final Map<TopicPartition, Long> committedRepartitionOffsets = new HashMap<>();
  private Set<String> repartitionTopics = Set.of();
  private Consumer<byte[], byte[]> consumer;

  TaskExecutor(String threadName, Tasks tasks, int maxBufferedPerPartition) {
    this.threadName = threadName;
    this.tasks = tasks;
    this.maxBufferedPerPartition = maxBufferedPerPartition;
  }

  void setConsumer(Consumer<byte[], byte[]> consumer) {
    this.consumer = consumer;
  }

  /** Full names of the repartition topics whose committed offsets are noted for purging. */
  void setRepartitionTopics(Set<String> topics) {
    this.repartitionTopics = Set.copyOf(topics);
  }

  // ---- records in ----

  void addRecords(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition tp : records.partitions()) {
      StreamTask t = tasks.byPartition(tp);
      if (t == null) {
        log.debug("{}: records for {} which no task owns (revoked meanwhile)", threadName, tp);
        continue;
      }
      int buffered = t.addRecords(tp, records.records(tp));
      if (buffered > maxBufferedPerPartition && pausedForBuffer.add(tp)) {
        consumer.pause(List.of(tp));
      }
    }
  }

  /** Resumes partitions paused for a full buffer once half of it has drained. */
  void resumeDrained() {
    for (var it = pausedForBuffer.iterator(); it.hasNext(); ) {
      TopicPartition tp = it.next();
      StreamTask t = tasks.byPartition(tp);
      if (t == null || t.bufferedRecords(tp) <= maxBufferedPerPartition / 2) {
        it.remove();
        if (t != null && t.state() == StreamTask.State.RUNNING) {
          consumer.resume(List.of(tp));
        }
      }
    }
  }

  /** Forgets buffer pauses of partitions this thread no longer reads. */
  void forget(Collection<TopicPartition> partitions) {
    pausedForBuffer.removeAll(partitions);
  }

  boolean hasBufferedRecords() {
    for (StreamTask t : tasks.active()) {
      if (t.state() == StreamTask.State.RUNNING && t.bufferedRecords() > 0) {
        return true;
      }
    }
    return false;
  }

  // ---- processing ----

  /** Processes up to {@code max} records, a batch per running task in turn; returns how many. */
  int process(int max) {
    int n = 0;
    boolean progress = true;
    while (progress && n < max) {
      progress = false;
      for (StreamTask t : tasks.active()) {
        int batch = 0;
        while (batch < PROCESS_BATCH && t.process()) {
          batch++;
        }
        n += batch;
        progress |= batch > 0;
      }
    }
    return n;
  }

  void punctuateWallClock() {
    for (StreamTask t : tasks.active()) {
      t.maybePunctuateSystemTime();
    }
  }

  // ---- commits ----

  boolean commitRequested() {
    for (StreamTask t : tasks.active()) {
      if (t.commitRequested()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The periodic commit: every running task that processed something, then the checkpoints of
   * restoring tasks and standbys (so a restart replays less).
   */
  void commitAll() {
    commit(tasks.active());
    for (StreamTask t : tasks.active()) {
      if (t.state() == StreamTask.State.RESTORING) {
        t.stateManager().flushStores();
        t.stateManager().checkpoint();
      }
    }
    for (StandbyTask sb : tasks.standbys()) {
      sb.commit();
    }
  }

  /**
   * Commits those of {@code candidates} that are running and processed something: flush caches
   * (which may produce), wait for the producer, make stores durable, commit the input offsets,
   * write checkpoints. At least once: a crash anywhere before the offset commit means
   * reprocessing, never loss. Returns false if the group refused the offsets because it is
   * rebalancing (the tasks stay due and the next commit retries).
   */
  boolean commit(Collection<StreamTask> candidates) {
    List<StreamTask> committing = new ArrayList<>();
    for (StreamTask t : candidates) {
      if (t.state() == StreamTask.State.RUNNING && t.commitNeeded()) {
        committing.add(t);
      }
    }
    committing.forEach(StreamTask::flushCaches);
    committing.forEach(StreamTask::flushOutput);
    committing.forEach(StreamTask::flushStores);
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    committing.forEach(t -> offsets.putAll(t.committableOffsets()));
    if (!offsets.isEmpty()) {
      try {
        consumer.commitSync(offsets);
      } catch (RebalanceInProgressException e) {
        log.debug("{}: the group is rebalancing; offsets are committed after it", threadName);
        return false;
      } catch (CommitFailedException e) {
        log.warn("{}: offset commit refused (this thread left the group); records since the last commit will be"
            + " processed again", threadName);
        return false;
      }
    }
    offsets.forEach((tp, o) -> {
      if (repartitionTopics.contains(tp.topic())) {
        committedRepartitionOffsets.put(tp, o.offset());
      }
    });
    committing.forEach(StreamTask::postCommit);
    return true;
  }

  /** Committed offsets of repartition partitions since the last call; clears them. */
  Map<TopicPartition, Long> takeCommittedRepartitionOffsets() {
    Map<TopicPartition, Long> m = new HashMap<>(committedRepartitionOffsets);
    committedRepartitionOffsets.clear();
    return m;
  }
}
