package io.millrace.streams.state;

/** A window store whose values carry the timestamp of their last update. */
public interface TimestampedWindowStore<K, V> extends WindowStore<K, ValueAndTimestamp<V>> {}
