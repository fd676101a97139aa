package io.millrace.streams.state;

/**
 * A window store whose values carry the timestamp of their last update.
 *
 * <p>Threading: written by its task's stream thread only; read-only views of it may be read from
 * any thread (interactive queries).
 */
public interface TimestampedWindowStore<K, V> extends WindowStore<K, ValueAndTimestamp<V>> {}
