package io.millrace.streams.kstream;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fixed-size windows aligned to the epoch: tumbling (advance = size) or hopping (advance &lt;
 * size). A record belongs to every window with {@code start <= timestamp < start + size}. After
 * a window ends, records for it are still accepted during the grace period; later ones are
 * dropped and counted ({@code dropped-records-total}).
 *
 * <p>Immutable: each {@code with...} returns a new instance; thread-safe.
 */
public final class TimeWindows {
  private final long sizeMs;
  private final long advanceMs;
  private final long graceMs;

  private TimeWindows(long sizeMs, long advanceMs, long graceMs) {
    if (sizeMs <= 0) {
      throw new IllegalArgumentException("Window size must be positive, got " + sizeMs + " ms");
    }
    if (advanceMs <= 0 || advanceMs > sizeMs) {
      throw new IllegalArgumentException(
          "Window advance must be positive and at most the size (" + sizeMs + " ms), got " + advanceMs);
    }
    if (graceMs < 0) {
      throw new IllegalArgumentException("Grace period must not be negative, got " + graceMs);
    }
    this.sizeMs = sizeMs;
    this.advanceMs = advanceMs;
    this.graceMs = graceMs;
  }

  /** Tumbling windows of {@code size} with no grace: late records are dropped at once. */
  public static TimeWindows ofSizeWithNoGrace(Duration size) {
    return new TimeWindows(size.toMillis(), size.toMillis(), 0);
  }

  /** Tumbling windows of {@code size}, accepting records up to {@code grace} after they end. */
  public static TimeWindows ofSizeAndGrace(Duration size, Duration grace) {
    return new TimeWindows(size.toMillis(), size.toMillis(), grace.toMillis());
  }

  /** Hopping windows: a new window every {@code advance}. */
  public TimeWindows advanceBy(Duration advance) {
    return new TimeWindows(sizeMs, advance.toMillis(), graceMs);
  }

  /** The windows (by start time) that a record at {@code timestamp} belongs to. */
  public Map<Long, Window> windowsFor(long timestamp) {
    long windowStart = Math.max(0, timestamp - sizeMs + advanceMs) / advanceMs * advanceMs;
    Map<Long, Window> windows = new LinkedHashMap<>();
    while (windowStart <= timestamp) {
      windows.put(windowStart, new Window(windowStart, windowStart + sizeMs));
      windowStart += advanceMs;
    }
    return windows;
  }

  public long sizeMs() {
    return sizeMs;
  }

  public long advanceMs() {
    return advanceMs;
  }

  public long gracePeriodMs() {
    return graceMs;
  }

  @Override
  public String toString() {
    return "TimeWindows(size=" + sizeMs + "ms, advance=" + advanceMs + "ms, grace=" + graceMs + "ms)";
  }
}
