package io.millrace.streams.kstream;

import java.time.Duration;

/**
 * How close in time two records must be to join: a record at {@code t} on the left joins right
 * records in {@code [t - before, t + after]}. The grace period says how long records are kept
 * for late partners (and when a left or outer join gives up and emits a record unjoined).
 *
 * <p>Immutable: each {@code with...} returns a new instance; thread-safe.
 */
public final class JoinWindows {
  private final long beforeMs;
  private final long afterMs;
  private final long graceMs;

  private JoinWindows(long beforeMs, long afterMs, long graceMs) {
    if (beforeMs + afterMs < 0) {
      throw new IllegalArgumentException("A join window must not be empty: before + after < 0");
    }
    if (graceMs < 0) {
      throw new IllegalArgumentException("Grace period must not be negative, got " + graceMs);
    }
    this.beforeMs = beforeMs;
    this.afterMs = afterMs;
    this.graceMs = graceMs;
  }

  public static JoinWindows ofTimeDifferenceWithNoGrace(Duration difference) {
    long ms = difference.toMillis();
    return new JoinWindows(ms, ms, 0);
  }

  public static JoinWindows ofTimeDifferenceAndGrace(Duration difference, Duration grace) {
    long ms = difference.toMillis();
    return new JoinWindows(ms, ms, grace.toMillis());
  }

  /** Only right records up to {@code before} earlier than the left one join. */
  public JoinWindows before(Duration before) {
    return new JoinWindows(before.toMillis(), afterMs, graceMs);
  }

  /** Only right records up to {@code after} later than the left one join. */
  public JoinWindows after(Duration after) {
    return new JoinWindows(beforeMs, after.toMillis(), graceMs);
  }

  public long beforeMs() {
    return beforeMs;
  }

  public long afterMs() {
    return afterMs;
  }

  public long gracePeriodMs() {
    return graceMs;
  }

  /** The span records are kept for: before + after. */
  public long sizeMs() {
    return beforeMs + afterMs;
  }
}
