package io.millrace.streams.internals.state;

import org.apache.kafka.common.utils.Bytes;

/**
 * Raw-key access to a segmented (window or session) bytes store: what the cache, the changelog
 * layer and restoration work with.
 *
 * <p>Threading: as the store it wraps: written by the task's stream thread, readable from any
 * thread.
 */
public interface RawSegmentedStore {

  /** Stores under the raw key; false if the entry is expired and was dropped. */
  boolean putRaw(Bytes rawKey, byte[] value);

  byte[] getRaw(Bytes rawKey);

  /** True if the entry's time is older than the retention. */
  boolean expiredRaw(Bytes rawKey);
}
