package io.millrace.streams.state;

/**
 * Values of one key's windows, keyed by window start time, in time order.
 *
 * <p>Threading: used by the thread that opened it; close it (try-with-resources) to release what it
 * holds.
 */
public interface WindowStoreIterator<V> extends KeyValueIterator<Long, V> {}
