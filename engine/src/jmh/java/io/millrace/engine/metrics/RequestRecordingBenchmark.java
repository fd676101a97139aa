package io.millrace.engine.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.protocol.ApiKeys;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * What the broker's metrics cost one request: the series a Produce request touches on its way
 * (frame received, in flight, latency histogram, response bytes, topic bytes and records), in a
 * Prometheus registry, on one thread and on two contending ones (the machine's event loops).
 *
 * <pre>
 * mvn -B -pl engine -am -Pjmh -DskipTests test "-Djmh.args=RequestRecordingBenchmark -wi 2 -w 1 -i 5 -r 1 -f 1"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RequestRecordingBenchmark {

  private PrometheusMeterRegistry registry;
  private BrokerMetrics metrics;
  private ListenerMetrics listener;
  private RequestMetrics requests;
  private io.micrometer.core.instrument.Counter topicBytes;
  private io.micrometer.core.instrument.Counter topicRecords;

  @Setup
  public void setUp() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    metrics = new BrokerMetrics(registry, 1, 1, true);
    listener = metrics.listener("PLAINTEXT");
    requests = metrics.requests();
    // The same counter kinds a hosted partition's PartitionMetrics increments.
    topicBytes = registry.counter("millrace.topic.produced", "topic", "bench");
    topicRecords = registry.counter("millrace.topic.produced.records", "topic", "bench");
  }

  @TearDown
  public void tearDown() {
    metrics.close();
    registry.close();
  }

  private void produceRequest() {
    listener.requestReceived(16_384);
    topicBytes.increment(16_300);
    topicRecords.increment(100);
    requests.recordLatency(ApiKeys.PRODUCE, 420_000);
    listener.requestDone();
    listener.bytesSent(80);
  }

  @Benchmark
  @Threads(1)
  public void produceRequestOneThread() {
    produceRequest();
  }

  @Benchmark
  @Threads(2)
  public void produceRequestTwoThreads() {
    produceRequest();
  }
}
