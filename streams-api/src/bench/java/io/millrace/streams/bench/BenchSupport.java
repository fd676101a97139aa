package io.millrace.streams.bench;

import io.millrace.streams.MillraceStreams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;

/** What the benchmarks share: one application of either system behind one interface, waiting, medians. */
final class BenchSupport {
  private BenchSupport() {}

  /** A running application, Millrace Streams or Kafka Streams. */
  interface Runner {
    void start();

    boolean running();

    void close();
  }

  static Runner millrace(io.millrace.streams.Topology topology, Properties props) {
    MillraceStreams streams = new MillraceStreams(topology, props);
    return new Runner() {
      @Override
      public void start() {
        streams.start();
      }

      @Override
      public boolean running() {
        return streams.state() == MillraceStreams.State.RUNNING;
      }

      @Override
      public void close() {
        streams.close(Duration.ofSeconds(60));
      }
    };
  }

  static Runner kafka(org.apache.kafka.streams.Topology topology, Properties props) {
    org.apache.kafka.streams.KafkaStreams streams = new org.apache.kafka.streams.KafkaStreams(topology, props);
    return new Runner() {
      @Override
      public void start() {
        streams.start();
      }

      @Override
      public boolean running() {
        return streams.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING;
      }

      @Override
      public void close() {
        streams.close(Duration.ofSeconds(60));
      }
    };
  }

  /** Waits for {@code condition}, polling every 20 ms; fails naming {@code what} after {@code timeout}. */
  static void await(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
