package io.millrace.streams.internals.runtime;

import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.metrics.stats.WindowedCount;

/**
 * Per-thread metrics (group {@code stream-thread-metrics}, tag {@code thread-id}): {@code
 * commit-total}, {@code commit-rate}, {@code commit-latency-avg} and {@code -max} (ms), {@code
 * restore-records-total} (changelog records replayed into stores, active and standby) and
 * {@code restore-remaining-records} (records active tasks still have to restore before they
 * process).
 */
final class ThreadMetrics {
  static final String GROUP = "stream-thread-metrics";
  private static final double NANOS_PER_MS = 1_000_000.0;
  private final Metrics metrics;
  private final Sensor commits;
  private final Sensor restored;
  private final MetricName remainingName;
  private volatile long remaining;

  ThreadMetrics(Metrics metrics, String threadId) {
    this.metrics = metrics;
    Map<String, String> tags = Map.of("thread-id", threadId);
    commits = metrics.sensor("thread." + threadId + ".commit");
    commits.add(metrics.metricName("commit-total", GROUP, "Commits", tags), new CumulativeCount());
    commits.add(metrics.metricName("commit-rate", GROUP, "Commits per second", tags), new Rate(new WindowedCount()));
    commits.add(metrics.metricName("commit-latency-avg", GROUP, "Average time of a commit, in ms", tags), new Avg());
    commits.add(metrics.metricName("commit-latency-max", GROUP, "Longest commit, in ms", tags), new Max());
    restored = metrics.sensor("thread." + threadId + ".restore");
    restored.add(metrics.metricName("restore-records-total", GROUP, "Changelog records restored", tags),
        new CumulativeSum());
    remainingName = metrics.metricName("restore-remaining-records", GROUP,
        "Changelog records active tasks still have to restore", tags);
    metrics.addMetric(remainingName, (Measurable) (config, now) -> remaining);
  }

  /** A commit took {@code nanos}. */
  void commit(long nanos) {
    commits.record(nanos / NANOS_PER_MS);
  }

  void restored(long n) {
    restored.record(n);
  }

  /** Records active tasks still have to restore (stream thread only). */
  void restoreRemaining(long records) {
    remaining = records;
  }

  void close() {
    metrics.removeSensor(commits.name());
    metrics.removeSensor(restored.name());
    metrics.removeMetric(remainingName);
  }
}
