package io.millrace.streams.state;

/**
 * A key-value store whose values carry the timestamp of their last update (the DSL's kind).
 *
 * <p>Threading: written by its task's stream thread only; read-only views of it may be read from
 * any thread (interactive queries).
 */
public interface TimestampedKeyValueStore<K, V> extends KeyValueStore<K, ValueAndTimestamp<V>> {}
