package io.millrace.streams.internals.runtime;

import java.util.Map;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.metrics.stats.WindowedCount;

/**
 * Per-thread metrics (group {@code stream-thread-metrics}, tag {@code thread-id}): {@code
 * commit-total}, {@code commit-rate}, {@code restore-records-total} (changelog records replayed
 * into stores, active and standby).
 */
final class ThreadMetrics {
  static final String GROUP = "stream-thread-metrics";
  private final Metrics metrics;
  private final Sensor commits;
  private final Sensor restored;

  ThreadMetrics(Metrics metrics, String threadId) {
    this.metrics = metrics;
    Map<String, String> tags = Map.of("thread-id", threadId);
    commits = metrics.sensor("thread." + threadId + ".commit");
    commits.add(metrics.metricName("commit-total", GROUP, "Commits", tags), new CumulativeCount());
    commits.add(metrics.metricName("commit-rate", GROUP, "Commits per second", tags), new Rate(new WindowedCount()));
    restored = metrics.sensor("thread." + threadId + ".restore");
    restored.add(metrics.metricName("restore-records-total", GROUP, "Changelog records restored", tags),
        new CumulativeSum());
  }

  void commit() {
    commits.record();
  }

  void restored(long n) {
    restored.record(n);
  }

  void close() {
    metrics.removeSensor(commits.name());
    metrics.removeSensor(restored.name());
  }
}
