package io.millrace.connect.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One task's meters, tagged {@code connector} and {@code task}; removed when the task stops
 * (it may run elsewhere next). Prometheus names:
 *
 * <pre>
 *   millrace_connect_source_polled_records_total   records a source task's poll() returned
 *   millrace_connect_source_records_total          records a source task sent (acknowledged)
 *   millrace_connect_sink_records_total            records a sink task took (put returned)
 *   millrace_connect_errors_total                  failures of a stage, tolerated or not, by stage
 *   millrace_connect_records_failed_total          records skipped by errors.tolerance=all, by stage
 *   millrace_connect_dead_letter_records_total     records sent to the dead-letter topic
 *   millrace_connect_offset_commits_total          offset commits, by result (ok, failed)
 *   millrace_connect_offset_commit_duration_seconds offset commit time (histogram)
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
  private final Counter polled;
  private final Counter deadLettered;
  private final Timer commitTime;
  private final Map<Stage, Counter> failed = new EnumMap<>(Stage.class);
  private final Map<Stage, Counter> errors = new EnumMap<>(Stage.class);

  /** Offset commit histogram buckets: 1 ms to 30 s. */
  private static final Duration[] COMMIT_BUCKETS = {
      Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
      Duration.ofSeconds(30)};

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
    polled = sink ? null : add(Counter.builder("millrace.connect.source.polled.records").tags(tags)
        .description("Records a source task's poll() returned").register(registry));
    deadLettered = add(Counter.builder("millrace.connect.dead.letter.records").tags(tags)
        .description("Records sent to the dead-letter topic").register(registry));
    commitTime = add(Timer.builder("millrace.connect.offset.commit.duration").tags(tags)
        .description("Time an offset commit took, flushing included, whatever its result")
        .serviceLevelObjectives(COMMIT_BUCKETS).register(registry));
  }

  private <M extends Meter> M add(M meter) {
    meters.add(meter);
    return meter;
  }

  public void recordRecords(int n) {
    records.increment(n);
  }

  /** An offset commit that took {@code nanos}. */
  public void recordCommit(boolean ok, long nanos) {
    (ok ? commitsOk : commitsFailed).increment();
    commitTime.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A source task's poll() returned {@code n} records. */
  public void recordPolled(int n) {
    if (polled != null) {
      polled.increment(n);
    }
  }

  public void recordDeadLettered() {
    deadLettered.increment();
  }

  /** A stage failed (after its retries), whether the failure is tolerated or not. */
  public synchronized void recordError(Stage stage) {
    errors.computeIfAbsent(stage, s -> add(Counter.builder("millrace.connect.errors")
        .tags(tags).tag("stage", s.name()).description("Failures of a stage, tolerated or not")
        .register(registry))).increment();
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
