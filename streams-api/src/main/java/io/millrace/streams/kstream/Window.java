package io.millrace.streams.kstream;

import java.time.Instant;

/**
 * A window's bounds in ms of event time. Time windows (tumbling, hopping) hold records with
 * {@code start <= timestamp < end}; sliding windows and session windows hold {@code start <=
 * timestamp <= end}.
 *
 * <p>Immutable; thread-safe.
 *
 * @param start first millisecond
 * @param end end of the window (exclusive for time windows, inclusive for sliding and session)
 */
public record Window(long start, long end) {

  public Window {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("Invalid window [" + start + ", " + end + "]");
    }
  }

  public Instant startTime() {
    return Instant.ofEpochMilli(start);
  }

  public Instant endTime() {
    return Instant.ofEpochMilli(end);
  }

  @Override
  public String toString() {
    return "Window[" + start + ", " + end + "]";
  }
}
