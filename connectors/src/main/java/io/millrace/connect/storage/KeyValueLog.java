package io.millrace.connect.storage;

import java.util.concurrent.CompletableFuture;

/**
 * A log of key/value records where the latest value of a key wins and a null value deletes it:
 * a compacted topic in distributed mode ({@link TopicLog}), a file in standalone mode ({@link
 * FileLog}). The config, offset and status stores are built on it.
 *
 * <p>Every record is delivered to the {@link Listener} given to {@link #start}, first those
 * already in the log, then new ones (also those this process writes), in log order per key.
 * Implementations are thread-safe; the listener is called from one thread at a time.
 */
public interface KeyValueLog extends AutoCloseable {

  /** Receives records in log order. */
  @FunctionalInterface
  interface Listener {
    void onRecord(byte[] key, byte[] value);
  }

  /** Replays the log to the listener; the returned future completes once replay is done. */
  CompletableFuture<Void> start(Listener listener);

  /** Appends a record; the future completes when it is durable, or fails. */
  CompletableFuture<Void> send(byte[] key, byte[] value);

  /**
   * Completes once every record appended before this call (by any writer) has been delivered
   * to the listener.
   */
  CompletableFuture<Void> readToEnd();

  @Override
  void close();
}
