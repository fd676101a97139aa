package io.millrace.streams.internals.processor;

import io.millrace.streams.processor.TaskId;
import java.util.Map;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.metrics.stats.WindowedCount;

/**
 * Per-task metrics in kafka-clients' metrics registry (group {@code stream-task-metrics}, tags
 * {@code thread-id} and {@code task-id}): {@code process-total}, {@code process-rate}, {@code
 * process-latency-avg} and {@code -max} (milliseconds from a record leaving the task's queue to
 * its processing returning), {@code dropped-records-total}, {@code dropped-records-rate} and,
 * among those, {@code late-records-dropped-total} (records that arrived after their window
 * closed). {@code StreamsMeterBinder} publishes them to Micrometer.
 */
public final class TaskMetrics {
  public static final String GROUP = "stream-task-metrics";
  private static final double NANOS_PER_MS = 1_000_000.0;
  private final Metrics metrics;
  private final Sensor processed;
  private final Sensor dropped;
  private final Sensor lateDropped;

  public TaskMetrics(Metrics metrics, String threadId, TaskId taskId) {
    this.metrics = metrics;
    Map<String, String> tags = Map.of("thread-id", threadId, "task-id", taskId.toString());
    String prefix = "task." + threadId + "." + taskId + ".";
    processed = metrics.sensor(prefix + "process");
    processed.add(
        metrics.metricName("process-total", GROUP, "Records processed", tags), new CumulativeCount());
    processed.add(
        metrics.metricName("process-rate", GROUP, "Records processed per second", tags),
        new Rate(new WindowedCount()));
    processed.add(
        metrics.metricName("process-latency-avg", GROUP, "Average time to process a record, in ms", tags),
        new Avg());
    processed.add(
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
    processed.record(nanos / NANOS_PER_MS);
  }

  public void recordDropped() {
    dropped.record();
  }

  /** A record dropped because it came after its window closed (counted as dropped too). */
  public void recordLateDropped() {
    lateDropped.record();
  }

  void close() {
    metrics.removeSensor(lateDropped.name());
    metrics.removeSensor(processed.name());
    metrics.removeSensor(dropped.name());
  }
}
