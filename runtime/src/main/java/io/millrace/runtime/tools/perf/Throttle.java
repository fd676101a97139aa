package io.millrace.runtime.tools.perf;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Paces a loop to about {@code targetPerSecond} iterations a second (Kafka's ThroughputThrottler):
 * when the loop is ahead of schedule it parks until the schedule catches up. A negative target
 * means no limit. Used by one thread.
 */
final class Throttle {

  private final long targetPerSecond;
  private final long startNs;

  Throttle(long targetPerSecond, long startNs) {
    this.targetPerSecond = targetPerSecond;
    this.startNs = startNs;
  }

  /** Waits, if needed, so that {@code done} iterations take at least done / target seconds. */
  void pace(long done) {
    if (targetPerSecond <= 0) {
      return;
    }
    long dueNs = startNs + TimeUnit.SECONDS.toNanos(done) / targetPerSecond;
    long aheadNs = dueNs - System.nanoTime();
    if (aheadNs > 1_000_000) {
      LockSupport.parkNanos(aheadNs);
    }
  }
}
