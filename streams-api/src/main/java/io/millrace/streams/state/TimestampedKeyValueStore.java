package io.millrace.streams.state;

/** A key-value store whose values carry the timestamp of their last update (the DSL's kind). */
public interface TimestampedKeyValueStore<K, V> extends KeyValueStore<K, ValueAndTimestamp<V>> {}
