package io.millrace.streams.processor;

/**
 * Which clock drives a punctuation.
 *
 * <p>Immutable; thread-safe.
 */
public enum PunctuationType {
  /** The task's stream time: advances only as records arrive. */
  STREAM_TIME,
  /** The system clock: advances whether records arrive or not. */
  WALL_CLOCK_TIME
}
