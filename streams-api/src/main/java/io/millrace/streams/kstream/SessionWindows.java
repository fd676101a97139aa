package io.millrace.streams.kstream;

import java.time.Duration;

/**
 * Sessions: records of a key closer together than the inactivity gap form one session, which
 * grows (and merges with neighbours) as records arrive. A session closes once stream time
 * passes its end plus the grace period.
 *
 * <p>Immutable: each {@code with...} returns a new instance; thread-safe.
 */
public final class SessionWindows {
  private final long gapMs;
  private final long graceMs;

  private SessionWindows(long gapMs, long graceMs) {
    if (gapMs <= 0) {
      throw new IllegalArgumentException("Inactivity gap must be positive, got " + gapMs);
    }
    if (graceMs < 0) {
      throw new IllegalArgumentException("Grace period must not be negative, got " + graceMs);
    }
    this.gapMs = gapMs;
    this.graceMs = graceMs;
  }

  public static SessionWindows ofInactivityGapWithNoGrace(Duration gap) {
    return new SessionWindows(gap.toMillis(), 0);
  }

  public static SessionWindows ofInactivityGapAndGrace(Duration gap, Duration grace) {
    return new SessionWindows(gap.toMillis(), grace.toMillis());
  }

  public long inactivityGapMs() {
    return gapMs;
  }

  public long gracePeriodMs() {
    return graceMs;
  }
}
