package io.millrace.runtime.tools.perf;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Throughput and latency of a producer run, whole and per reporting window, in the words of
 * Kafka's ProducerPerformance. Latencies are recorded in microseconds in an HdrHistogram (three
 * significant digits), so percentiles are exact to 0.1% however many records run, without the
 * sampling Kafka's tool does.
 *
 * <p>Thread-safe: the producer's I/O thread records, a reporter thread reads.
 */
final class LatencyStats {

  private final long startNs;
  private final Histogram all = new Histogram(3);
  private long count;
  private long bytes;
  private long totalLatencyUs;
  private long maxLatencyUs;

  private long windowStartNs;
  private long windowCount;
  private long windowBytes;
  private long windowTotalLatencyUs;
  private long windowMaxLatencyUs;

  LatencyStats(long startNs) {
    this.startNs = startNs;
    this.windowStartNs = startNs;
  }

  synchronized void record(long latencyUs, int recordBytes) {
    long us = Math.max(0, latencyUs);
    all.recordValue(us);
    count++;
    bytes += recordBytes;
    totalLatencyUs += us;
    maxLatencyUs = Math.max(maxLatencyUs, us);
    windowCount++;
    windowBytes += recordBytes;
    windowTotalLatencyUs += us;
    windowMaxLatencyUs = Math.max(windowMaxLatencyUs, us);
  }

  synchronized long count() {
    return count;
  }

  /** Kafka's progress line for the window since the last call, then a new window. */
  synchronized String windowLine(long nowNs) {
    double seconds = Math.max(1, nowNs - windowStartNs) / 1e9;
    String line = String.format(Locale.ROOT, "%d records sent, %.1f records/sec (%.2f MB/sec), %.1f ms avg latency, "
            + "%.1f ms max latency.", windowCount, windowCount / seconds, windowBytes / seconds / (1024.0 * 1024.0),
        windowCount == 0 ? 0.0 : windowTotalLatencyUs / 1000.0 / windowCount, windowMaxLatencyUs / 1000.0);
    windowStartNs = nowNs;
    windowCount = 0;
    windowBytes = 0;
    windowTotalLatencyUs = 0;
    windowMaxLatencyUs = 0;
    return line;
  }

  /** The live line on a terminal: progress against the target and the rates so far. */
  synchronized String progressLine(long target, long nowNs) {
    double seconds = Math.max(1, nowNs - startNs) / 1e9;
    return String.format(Locale.ROOT, "%,d / %,d records (%.0f%%), %,.0f records/s, %.2f MB/s, %.1f ms avg latency",
        count, target, target == 0 ? 100.0 : 100.0 * count / target, count / seconds,
        bytes / seconds / (1024.0 * 1024.0), count == 0 ? 0.0 : totalLatencyUs / 1000.0 / count);
  }

  /**
   * Kafka's closing line: {@code N records sent, R records/sec (M MB/sec), A ms avg latency, X ms
   * max latency, P50 ms 50th, P95 ms 95th, P99 ms 99th, P999 ms 99.9th.}
   *
   * @param label inserted after the count (" steady state" for the run without its warm-up)
   */
  synchronized String totalLine(String label, long endNs) {
    double seconds = Math.max(1, endNs - startNs) / 1e9;
    return String.format(Locale.ROOT, "%d%s records sent, %f records/sec (%.2f MB/sec), %.2f ms avg latency, "
            + "%.2f ms max latency, %d ms 50th, %d ms 95th, %d ms 99th, %d ms 99.9th.", count, label,
        count / seconds, bytes / seconds / (1024.0 * 1024.0), count == 0 ? 0.0 : totalLatencyUs / 1000.0 / count,
        maxLatencyUs / 1000.0, percentileMs(50), percentileMs(95), percentileMs(99), percentileMs(99.9));
  }

  synchronized long percentileMs(double percentile) {
    return count == 0 ? 0 : all.getValueAtPercentile(percentile) / 1000;
  }
}
