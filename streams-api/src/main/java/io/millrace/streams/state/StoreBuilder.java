package io.millrace.streams.state;

import java.util.Map;

/**
 * Builds one store instance per task, with the layers asked for: a record cache (writes reach
 * the changelog and downstream once per commit, deduplicated per key) and change logging (a
 * compacted changelog topic {@code <application.id>-<name>-changelog} from which the store is
 * restored). Logging is on and caching off by default.
 *
 * <p>Threading: configured on the thread that builds the topology; {@code build()} is then called
 * on stream threads, once per task, and must return a new store each time.
 */
public interface StoreBuilder<T extends StateStore> {

  StoreBuilder<T> withCachingEnabled();

  StoreBuilder<T> withCachingDisabled();

  /** Turns the changelog on, with extra topic configs (e.g. {@code min.insync.replicas}). */
  StoreBuilder<T> withLoggingEnabled(Map<String, String> topicConfig);

  /** No changelog: the store starts empty on every new instance or restart (if in memory). */
  StoreBuilder<T> withLoggingDisabled();

  /** A new store instance. */
  T build();

  String name();

  boolean loggingEnabled();

  boolean cachingEnabled();

  /** Topic configs of the changelog (cleanup policy and retention are set by the runtime). */
  Map<String, String> logConfig();

  /**
   * Retention of the store's data in ms, for window and session stores (the changelog's
   * {@code retention.ms} follows it); -1 for key-value stores.
   */
  default long retentionMs() {
    return -1;
  }
}
