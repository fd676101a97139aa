package io.millrace.connect.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One task's meters, tagged {@code connector} and {@code task}; removed when the task stops
 * (it may run elsewhere next). Prometheus names:
 *
 * <pre>
 *   millrace_connect_source_records_total   records a source task sent (acknowledged)
 *   millrace_connect_sink_records_total     records a sink task took (put returned)
 *   millrace_connect_records_failed_total   records skipped by errors.tolerance=all, by stage
 *   millrace_connect_offset_commits_total   offset commits, by result (ok, failed)
 * </pre>
 *
 * Thread-safe (Micrometer counters are).
 */
public final class TaskMetrics implements AutoCloseable {
  private final MeterRegistry registry;
  private final Tags tags;
  private final List<Meter> meters = new ArrayList<>();
  private final Counter records;
  private final Counter commitsOk;
  private final Counter commitsFailed;
  private final Map<Stage, Counter> failed = new EnumMap<>(Stage.class);

  public TaskMetrics(MeterRegistry registry, TaskId id, boolean sink) {
    this.registry = registry;
    this.tags = Tags.of("connector", id.connector(), "task", Integer.toString(id.task()));
    records = add(Counter.builder(sink ? "millrace.connect.sink.records"
            : "millrace.connect.source.records")
        .description(sink ? "Records a sink task took" : "Records a source task sent")
        .tags(tags).register(registry));
    commitsOk = add(Counter.builder("millrace.connect.offset.commits").tags(tags)
        .tag("result", "ok").description("Offset commits").register(registry));
    commitsFailed = add(Counter.builder("millrace.connect.offset.commits").tags(tags)
        .tag("result", "failed").description("Offset commits").register(registry));
  }

  private <M extends Meter> M add(M meter) {
    meters.add(meter);
    return meter;
  }

  public void recordRecords(int n) {
    records.increment(n);
  }

  public void recordCommit(boolean ok) {
    (ok ? commitsOk : commitsFailed).increment();
  }

  public synchronized void recordFailed(Stage stage) {
    failed.computeIfAbsent(stage, s -> add(Counter.builder("millrace.connect.records.failed")
        .tags(tags).tag("stage", s.name()).description("Records skipped after an error")
        .register(registry))).increment();
  }

  @Override
  public synchronized void close() {
    meters.forEach(registry::remove);
    meters.clear();
  }
}
