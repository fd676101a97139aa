package io.millrace.streams.internals.processor;

import io.millrace.streams.processor.TaskId;
import java.util.Map;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.metrics.stats.WindowedCount;

/**
 * Per-task metrics in kafka-clients' metrics registry (group {@code stream-task-metrics}, tags
 * {@code thread-id} and {@code task-id}): {@code process-total}, {@code process-rate}, {@code
 * dropped-records-total}, {@code dropped-records-rate}.
 */
public final class TaskMetrics {
  public static final String GROUP = "stream-task-metrics";
  private final Metrics metrics;
  private final Sensor processed;
  private final Sensor dropped;

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
  }

  void recordProcessed() {
    processed.record();
  }

  public void recordDropped() {
    dropped.record();
  }

  void close() {
    metrics.removeSensor(processed.name());
    metrics.removeSensor(dropped.name());
  }
}
