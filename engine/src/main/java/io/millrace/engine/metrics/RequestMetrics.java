package io.millrace.engine.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * Requests per Kafka API: a latency histogram ({@code millrace_request_duration_seconds}, whose
 * {@code _count} is the request count), the requests that failed as a whole
 * ({@code millrace_request_errors_total}) and the requests for an API or version the broker does
 * not serve ({@code millrace_request_unsupported_total}).
 *
 * <p>The meters of an API are created on its first request (latency and errors together) and
 * kept in arrays indexed by API key, so recording costs an array read and the meter's own update: no lookup, no allocation.
 * Thread-safe.
 */
public final class RequestMetrics {

  /** Histogram buckets: 0.5 ms to 30 s, enough for produce/fetch and long-polling fetches alike. */
  static final Duration[] BUCKETS = {
      Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
      Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
      Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

  private static final int SLOTS = maxApiKey() + 1;

  private final OwnedMeters meters;
  private final AtomicReferenceArray<Timer> latency = new AtomicReferenceArray<>(SLOTS);
  private final AtomicReferenceArray<Counter> errors = new AtomicReferenceArray<>(SLOTS);
  private final Counter unsupported;

  RequestMetrics(OwnedMeters meters) {
    this.meters = meters;
    this.unsupported = meters.own(Counter.builder("millrace.request.unsupported")
        .description("Requests for an API key or version the broker does not serve (answered UNSUPPORTED_VERSION)")
        .register(meters.registry()));
  }

  /** A request of {@code api} was answered {@code nanos} after its frame arrived. */
  public void recordLatency(ApiKeys api, long nanos) {
    Timer timer = latency.get(api.id);
    if (timer == null) {
      timer = register(api);
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A request of {@code api} failed as a whole (answered with its error response). */
  public void recordError(ApiKeys api) {
    Counter counter = errors.get(api.id);
    if (counter == null) {
      register(api);
      counter = errors.get(api.id);
    }
    counter.increment();
  }

  /** A request named an API key or version that no handler serves. */
  public void recordUnsupported() {
    unsupported.increment();
  }

  /** An API's meters, both at once, so a used API has an error count (0) to plot. */
  private Timer register(ApiKeys api) {
    // Racing threads get the same meters from the registry; either store is fine.
    Counter counter = meters.own(Counter.builder("millrace.request.errors").tag("api", api.name)
        .description("Requests that failed as a whole and got the API's error response")
        .register(meters.registry()));
    errors.compareAndSet(api.id, null, counter);
    Timer timer = meters.own(Timer.builder("millrace.request.duration").tag("api", api.name)
        .description("Time from a request's frame arriving to its response being ready, by Kafka API")
        .serviceLevelObjectives(BUCKETS)
        .register(meters.registry()));
    latency.compareAndSet(api.id, null, timer);
    return timer;
  }

  private static int maxApiKey() {
    int max = 0;
    for (ApiKeys key : ApiKeys.values()) {
      max = Math.max(max, key.id);
    }
    return max;
  }
}
