package io.millrace.streams.internals.state;

import io.millrace.streams.state.StateStoreContext;
import org.apache.kafka.common.utils.Bytes;

/** What the built-in store layers need from their task beyond the public store context. */
public interface InternalStoreContext extends StateStoreContext {

  /** Sends a change to the store's changelog partition. */
  void logChange(String storeName, Bytes key, byte[] value, long timestamp);

  /** Timestamp of the record being processed, or stream time during punctuation. */
  long recordTimestamp();

  /** The record cache budget shared by the stores of this stream thread. */
  CacheBudget cacheBudget();

  /** The changelog topic of a store: {@code <application.id>-<store>-changelog}. */
  default String changelogTopic(String storeName) {
    return applicationId() + "-" + storeName + "-changelog";
  }
}
