package io.millrace.engine.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.LongAdder;

/**
 * One Kafka listener's network series, labelled {@code listener}: open connections, connections
 * accepted and refused ({@code max.connections}), request bytes received and response bytes sent,
 * and the requests read but not yet answered (Kafka's request queue).
 *
 * <p>Thread-safe; every update is one adder or counter increment, so the listener's event loops
 * update it without contention.
 */
public final class ListenerMetrics {

  private final LongAdder connections = new LongAdder();
  private final LongAdder inFlight = new LongAdder();
  private final Counter accepted;
  private final Counter refused;
  private final Counter received;
  private final Counter sent;

  ListenerMetrics(OwnedMeters meters, String listener) {
    MeterRegistry registry = meters.registry();
    meters.own(Gauge.builder("millrace.network.connections", connections, LongAdder::sum).tag("listener", listener)
        .description("Client connections open on the listener").register(registry));
    meters.own(Gauge.builder("millrace.network.requests.in.flight", inFlight, LongAdder::sum)
        .tag("listener", listener)
        .description("Requests read but not yet answered (Kafka's request queue), all connections")
        .register(registry));
    accepted = meters.own(Counter.builder("millrace.network.connections.accepted").tag("listener", listener)
        .description("Connections accepted").register(registry));
    refused = meters.own(Counter.builder("millrace.network.connections.refused").tag("listener", listener)
        .description("Connections closed at once because max.connections were open").register(registry));
    received = meters.own(Counter.builder("millrace.network.received").baseUnit("bytes").tag("listener", listener)
        .description("Request bytes received, frame sizes included").register(registry));
    sent = meters.own(Counter.builder("millrace.network.sent").baseUnit("bytes").tag("listener", listener)
        .description("Response bytes sent, frame sizes and zero-copy record bytes included").register(registry));
  }

  /** Series kept in a private registry nobody reads (tests, tools that build a listener alone). */
  public static ListenerMetrics detached(String listener) {
    return new ListenerMetrics(new OwnedMeters(new SimpleMeterRegistry()), listener);
  }

  public void connectionOpened() {
    accepted.increment();
    connections.increment();
  }

  public void connectionClosed() {
    connections.decrement();
  }

  public void connectionRefused() {
    refused.increment();
  }

  /** A request frame of {@code frameBytes} (without its 4-byte size) came in and is now in flight. */
  public void requestReceived(int frameBytes) {
    received.increment(frameBytes + 4L);
    inFlight.increment();
  }

  /** A request left the queue: answered, or dropped with its connection. */
  public void requestDone() {
    inFlight.decrement();
  }

  public void bytesSent(long bytes) {
    sent.increment(bytes);
  }
}
