package io.millrace.streams.state;

import io.millrace.streams.internals.state.SegmentedSessionBytesStore;
import org.apache.kafka.common.utils.Bytes;

/**
 * The innermost (bytes) layer of a session store, in memory or on disk; made by {@link Stores}.
 *
 * <p>Immutable; thread-safe.
 */
public final class SessionBytesStoreSupplier {
  private final String name;
  private final long retentionPeriodMs;
  private final boolean persistent;

  SessionBytesStoreSupplier(String name, long retentionPeriodMs, boolean persistent) {
    Stores.requireName(name);
    if (retentionPeriodMs < 0) {
      throw new IllegalArgumentException("Session store " + name + ": negative retention");
    }
    this.name = name;
    this.retentionPeriodMs = retentionPeriodMs;
    this.persistent = persistent;
  }

  public String name() {
    return name;
  }

  public SessionStore<Bytes, byte[]> get() {
    return new SegmentedSessionBytesStore(name, retentionPeriodMs, persistent);
  }

  public long retentionPeriodMs() {
    return retentionPeriodMs;
  }

  public boolean persistent() {
    return persistent;
  }
}
