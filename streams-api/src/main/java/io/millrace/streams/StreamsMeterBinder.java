package io.millrace.streams;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;

/**
 * Publishes a {@link MillraceStreams} instance's series to a Micrometer registry, under
 * {@code millrace_streams_*} with the label {@code application_id}:
 *
 * <pre>
 *   millrace_streams_state{state}                               1 for the instance's state, else 0
 *   millrace_streams_threads                                    stream threads alive
 *   millrace_streams_tasks{type=active|standby}                 tasks assigned to this instance
 *   millrace_streams_task_processed_records_total{thread,task}  records processed
 *   millrace_streams_task_process_latency_avg_seconds{...}      time to process one record (and _max_)
 *   millrace_streams_task_dropped_records_total{thread,task}    records dropped (late, unreadable, bad key)
 *   millrace_streams_task_late_dropped_records_total{...}       of those, late for their window
 *   millrace_streams_thread_commits_total{thread}               commits
 *   millrace_streams_thread_commit_latency_avg_seconds{thread}  commit time (and _max_)
 *   millrace_streams_thread_restored_records_total{thread}      changelog records restored
 *   millrace_streams_thread_restore_remaining_records{thread}   records left to restore
 * </pre>
 *
 * The task and thread series mirror the instance's {@link MillraceStreams#metrics()} (Kafka
 * Streams' names there): series appear as tasks are assigned and go when they move away. Rates
 * are left to Prometheus ({@code rate()} of the totals). Reading them costs nothing on the
 * processing path: the registry reads the kafka-clients metrics when scraped.
 *
 * <pre>{@code
 * MillraceStreams streams = new MillraceStreams(topology, props);
 * new StreamsMeterBinder(streams).bindTo(registry);
 * }</pre>
 *
 * Thread-safe. {@link #close()} removes the series.
 */
public final class StreamsMeterBinder implements MeterBinder, AutoCloseable {

  /** A kafka-clients metric published under a Prometheus-style name. */
  private record Mapping(String name, Kind kind, String description) {}

  private enum Kind { COUNTER, GAUGE, MILLIS_GAUGE }

  private static final Map<String, Mapping> MAPPINGS = Map.ofEntries(
      Map.entry("stream-task-metrics/process-total",
          new Mapping("millrace.streams.task.processed.records", Kind.COUNTER, "Records processed by a task")),
      Map.entry("stream-task-metrics/process-latency-avg",
          new Mapping("millrace.streams.task.process.latency.avg", Kind.MILLIS_GAUGE,
              "Average time a task took to process a record (last 2 sample windows)")),
      Map.entry("stream-task-metrics/process-latency-max",
          new Mapping("millrace.streams.task.process.latency.max", Kind.MILLIS_GAUGE,
              "Longest time a task took to process a record (last 2 sample windows)")),
      Map.entry("stream-task-metrics/dropped-records-total",
          new Mapping("millrace.streams.task.dropped.records", Kind.COUNTER,
              "Records a task dropped: late for their window, unreadable, invalid timestamp or key")),
      Map.entry("stream-task-metrics/late-records-dropped-total",
          new Mapping("millrace.streams.task.late.dropped.records", Kind.COUNTER,
              "Records a task dropped because their window had closed (after the grace period)")),
      Map.entry("stream-thread-metrics/commit-total",
          new Mapping("millrace.streams.thread.commits", Kind.COUNTER, "Commits of a stream thread")),
      Map.entry("stream-thread-metrics/commit-latency-avg",
          new Mapping("millrace.streams.thread.commit.latency.avg", Kind.MILLIS_GAUGE,
              "Average time of a stream thread's commits (last 2 sample windows)")),
      Map.entry("stream-thread-metrics/commit-latency-max",
          new Mapping("millrace.streams.thread.commit.latency.max", Kind.MILLIS_GAUGE,
              "Longest commit of a stream thread (last 2 sample windows)")),
      Map.entry("stream-thread-metrics/restore-records-total",
          new Mapping("millrace.streams.thread.restored.records", Kind.COUNTER,
              "Changelog records a stream thread replayed into stores (active and standby)")),
      Map.entry("stream-thread-metrics/restore-remaining-records",
          new Mapping("millrace.streams.thread.restore.remaining.records", Kind.GAUGE,
              "Changelog records a stream thread's active tasks still have to restore")));

  /** kafka-clients tag names to Prometheus label names. */
  private static final Map<String, String> LABELS = Map.of("thread-id", "thread", "task-id", "task");

  private final MillraceStreams streams;
  private final Reporter reporter = new Reporter();
  private final List<Meter> ownMeters = new ArrayList<>();
  private MeterRegistry registry;
  private Tags common;

  public StreamsMeterBinder(MillraceStreams streams) {
    this.streams = Objects.requireNonNull(streams, "streams");
  }

  /**
   * Registers the series in {@code registry}. Call once.
   *
   * @throws IllegalStateException when already bound
   */
  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    if (this.registry != null) {
      throw new IllegalStateException("already bound to a registry");
    }
    this.registry = registry;
    this.common = Tags.of("application_id", streams.applicationId());
    for (MillraceStreams.State s : MillraceStreams.State.values()) {
      ownMeters.add(Gauge.builder("millrace.streams.state", streams, st -> st.state() == s ? 1 : 0)
          .tags(common).tag("state", s.name())
          .description("1 for the state the instance is in (CREATED, REBALANCING, RUNNING, ...), 0 for the others")
          .register(registry));
    }
    ownMeters.add(Gauge.builder("millrace.streams.threads", streams, st -> st.metadataForLocalThreads().size())
        .tags(common).description("Stream threads of the instance").register(registry));
    ownMeters.add(Gauge.builder("millrace.streams.tasks", streams, st -> tasks(st, true)).tags(common)
        .tag("type", "active").description("Tasks assigned to the instance, by type").register(registry));
    ownMeters.add(Gauge.builder("millrace.streams.tasks", streams, st -> tasks(st, false)).tags(common)
        .tag("type", "standby").description("Tasks assigned to the instance, by type").register(registry));
    streams.addMetricsReporter(reporter);
  }

  private static double tasks(MillraceStreams streams, boolean active) {
    int n = 0;
    for (ThreadMetadata t : streams.metadataForLocalThreads()) {
      n += active ? t.activeTasks().size() : t.standbyTasks().size();
    }
    return n;
  }

  /** Removes every series this binder registered. */
  @Override
  public synchronized void close() {
    if (registry == null) {
      return;
    }
    streams.removeMetricsReporter(reporter);
    reporter.close();
    ownMeters.forEach(registry::remove);
    ownMeters.clear();
  }

  /** Follows the kafka-clients registry: one meter per mapped metric, added and removed with it. */
  private final class Reporter implements MetricsReporter {
    private final Map<MetricName, Meter> meters = new HashMap<>();

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public void init(List<KafkaMetric> metrics) {
      metrics.forEach(this::metricChange);
    }

    @Override
    public synchronized void metricChange(KafkaMetric metric) {
      Mapping mapping = MAPPINGS.get(metric.metricName().group() + "/" + metric.metricName().name());
      if (mapping == null) {
        return;
      }
      Meter old = meters.remove(metric.metricName());
      if (old != null) {
        registry.remove(old);
      }
      Tags tags = common;
      for (Map.Entry<String, String> t : metric.metricName().tags().entrySet()) {
        tags = tags.and(LABELS.getOrDefault(t.getKey(), t.getKey().replace('-', '_')), t.getValue());
      }
      meters.put(metric.metricName(), register(mapping, metric, tags));
    }

    private Meter register(Mapping mapping, KafkaMetric metric, Tags tags) {
      return switch (mapping.kind()) {
        case COUNTER -> FunctionCounter.builder(mapping.name(), metric, StreamsMeterBinder::value).tags(tags)
            .description(mapping.description()).register(registry);
        case GAUGE -> Gauge.builder(mapping.name(), metric, StreamsMeterBinder::value).tags(tags)
            .description(mapping.description()).strongReference(true).register(registry);
        case MILLIS_GAUGE -> Gauge.builder(mapping.name(), metric, m -> value(m) / 1000.0).baseUnit("seconds")
            .tags(tags).description(mapping.description()).strongReference(true).register(registry);
      };
    }

    @Override
    public synchronized void metricRemoval(KafkaMetric metric) {
      Meter meter = meters.remove(metric.metricName());
      if (meter != null) {
        registry.remove(meter);
      }
    }

    @Override
    public synchronized void close() {
      meters.values().forEach(registry::remove);
      meters.clear();
    }
  }

  private static double value(KafkaMetric metric) {
    Object v = metric.metricValue();
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
