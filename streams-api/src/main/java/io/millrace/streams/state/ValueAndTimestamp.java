package io.millrace.streams.state;

/**
 * A value and the timestamp of the record that last changed it, as the DSL's stores keep them.
 *
 * <p>Immutable; thread-safe.
 *
 * @param value never null
 * @param timestamp event time in ms
 */
public record ValueAndTimestamp<V>(V value, long timestamp) {

  /** The pair, or null when {@code value} is null (an absent value has no timestamp). */
  public static <V> ValueAndTimestamp<V> make(V value, long timestamp) {
    return value == null ? null : new ValueAndTimestamp<>(value, timestamp);
  }

  /** The value of {@code vt}, or null when {@code vt} is null. */
  public static <V> V getValueOrNull(ValueAndTimestamp<V> vt) {
    return vt == null ? null : vt.value();
  }
}
