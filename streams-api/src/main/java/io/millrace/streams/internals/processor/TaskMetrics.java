package io.millrace.streams.internals.processor;

import io.millrace.streams.processor.TaskId;
import java.util.Map;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.metrics.stats.WindowedCount;
import org.apache.kafka.common.metrics.stats.WindowedSum;

/**
 * Per-task metrics in kafka-clients' metrics registry (group {@code stream-task-metrics}, tags
 * {@code thread-id} and {@code task-id}): {@code process-total}, {@code process-rate}, {@code
 * process-latency-avg} and {@code -max} (milliseconds from a record leaving the task's queue to
 * its processing returning), {@code dropped-records-total}, {@code dropped-records-rate} and,
 * among those, {@code late-records-dropped-total} (records that arrived after their window
 * closed). {@code StreamsMeterBinder} publishes them to Micrometer.
 *
 * <p>Processed records are counted in plain fields and handed to the sensors every {@value
 * #BATCH} records and on every commit: a sensor takes a lock and updates each of its stats per
 * call, which per record cost a word count several percent of its time. The count and rate stay
 * exact; the latency average is the average of the batches' averages and the maximum the largest
 * batch maximum (exact but for the commit's partial batch).
 *
 * <p>Threading: its task's stream thread only.
 */
public final class TaskMetrics {
  public static final String GROUP = "stream-task-metrics";
  private static final double NANOS_PER_MS = 1_000_000.0;
  private final Metrics metrics;
  private static final int BATCH = 256;
  private final Sensor processed;
  private final Sensor latencyAvg;
  private final Sensor latencyMax;
  private long batchCount;
  private double batchSumMs;
  private double batchMaxMs;
  private final Sensor dropped;
  private final Sensor lateDropped;

  public TaskMetrics(Metrics metrics, String threadId, TaskId taskId) {
    this.metrics = metrics;
    Map<String, String> tags = Map.of("thread-id", threadId, "task-id", taskId.toString());
    String prefix = "task." + threadId + "." + taskId + ".";
    processed = metrics.sensor(prefix + "process");
    processed.add(
        metrics.metricName("process-total", GROUP, "Records processed", tags), new CumulativeSum());
    processed.add(
        metrics.metricName("process-rate", GROUP, "Records processed per second", tags),
        new Rate(new WindowedSum()));
    latencyAvg = metrics.sensor(prefix + "process-latency-avg");
    latencyAvg.add(
        metrics.metricName("process-latency-avg", GROUP, "Average time to process a record, in ms", tags),
        new Avg());
    latencyMax = metrics.sensor(prefix + "process-latency-max");
    latencyMax.add(
        metrics.metricName("process-latency-max", GROUP, "Longest time to process a record, in ms", tags),
        new Max());
    dropped = metrics.sensor(prefix + "dropped");
    dropped.add(
        metrics.metricName(
            "dropped-records-total",
            GROUP,
            "Records dropped: late for their window, unreadable, invalid timestamp or key",
            tags),
        new CumulativeCount());
    dropped.add(
        metrics.metricName("dropped-records-rate", GROUP, "Records dropped per second", tags),
        new Rate(new WindowedCount()));
    lateDropped = metrics.sensor(prefix + "late-dropped", dropped);
    lateDropped.add(
        metrics.metricName("late-records-dropped-total", GROUP,
            "Records dropped because their window (or join window) had closed: later than the grace period",
            tags),
        new CumulativeCount());
  }

  /** A record was processed in {@code nanos}. */
  void recordProcessed(long nanos) {
    double ms = nanos / NANOS_PER_MS;
    batchCount++;
    batchSumMs += ms;
    if (ms > batchMaxMs) {
      batchMaxMs = ms;
    }
    if (batchCount == BATCH) {
      flushProcessed();
    }
  }

  /** Hands the records counted since the last flush to the sensors (every batch and commit). */
  void flushProcessed() {
    if (batchCount == 0) {
      return;
    }
    processed.record(batchCount);
    latencyAvg.record(batchSumMs / batchCount);
    latencyMax.record(batchMaxMs);
    batchCount = 0;
    batchSumMs = 0;
    batchMaxMs = 0;
  }

  public void recordDropped() {
    dropped.record();
  }

  /** A record dropped because it came after its window closed (counted as dropped too). */
  public void recordLateDropped() {
    lateDropped.record();
  }

  void close() {
    flushProcessed();
    metrics.removeSensor(lateDropped.name());
    metrics.removeSensor(processed.name());
    metrics.removeSensor(latencyAvg.name());
    metrics.removeSensor(latencyMax.name());
    metrics.removeSensor(dropped.name());
  }
}
