package io.millrace.streams.state;

/** Values of one key's windows, keyed by window start time, in time order. */
public interface WindowStoreIterator<V> extends KeyValueIterator<Long, V> {}
