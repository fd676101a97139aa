package io.millrace.engine.metrics;

/**
 * The series of one partition hosted here: its topic's traffic counters (shared by the topic's
 * partitions) and, when {@code metrics.partition.level.enabled}, the partition's own log gauges.
 * A {@code HostedPartition} holds one and the produce and fetch paths call it directly, so
 * recording costs two counter increments: no lookup, no allocation.
 *
 * <p>Thread-safe.
 */
public interface PartitionMetrics {

  /** Records a produced batch appended: its size as stored and its record count. */
  void recordAppend(int bytes, int records);

  /** Records a produce request's batch for this partition that was refused (corrupt, too large, ...). */
  void recordProduceFailure();

  /** Records record bytes sent to a consumer. */
  void recordFetch(long bytes);

  /** Removes the partition's series (and the topic's, with its last partition). Idempotent. */
  void close();

  /** Records nothing. */
  PartitionMetrics NONE = new PartitionMetrics() {
    @Override public void recordAppend(int bytes, int records) { }
    @Override public void recordProduceFailure() { }
    @Override public void recordFetch(long bytes) { }
    @Override public void close() { }
  };
}
