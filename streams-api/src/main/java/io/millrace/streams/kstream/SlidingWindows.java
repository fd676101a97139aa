package io.millrace.streams.kstream;

import java.time.Duration;

/**
 * Windows that slide with the records: every window of {@code timeDifference} (both ends
 * inclusive) whose contents differ, as Kafka Streams defines them. Each record gets a window
 * ending at its timestamp; windows are only made where records are, so aggregates update once
 * per record rather than per hop.
 *
 * <p>Immutable: each {@code with...} returns a new instance; thread-safe.
 */
public final class SlidingWindows {
  private final long timeDifferenceMs;
  private final long graceMs;

  private SlidingWindows(long timeDifferenceMs, long graceMs) {
    if (timeDifferenceMs < 0) {
      throw new IllegalArgumentException("Time difference must not be negative, got " + timeDifferenceMs);
    }
    if (graceMs < 0) {
      throw new IllegalArgumentException("Grace period must not be negative, got " + graceMs);
    }
    this.timeDifferenceMs = timeDifferenceMs;
    this.graceMs = graceMs;
  }

  public static SlidingWindows ofTimeDifferenceWithNoGrace(Duration timeDifference) {
    return new SlidingWindows(timeDifference.toMillis(), 0);
  }

  public static SlidingWindows ofTimeDifferenceAndGrace(Duration timeDifference, Duration grace) {
    return new SlidingWindows(timeDifference.toMillis(), grace.toMillis());
  }

  public long timeDifferenceMs() {
    return timeDifferenceMs;
  }

  public long gracePeriodMs() {
    return graceMs;
  }
}
