package io.millrace.streams.state;

import io.millrace.streams.internals.state.SegmentedWindowBytesStore;
import org.apache.kafka.common.utils.Bytes;

/**
 * The innermost (bytes) layer of a window store, in memory or on disk; made by {@link Stores}.
 *
 * <p>Immutable; thread-safe.
 */
public final class WindowBytesStoreSupplier {
  private final String name;
  private final long retentionPeriodMs;
  private final long windowSizeMs;
  private final boolean retainDuplicates;
  private final boolean persistent;

  WindowBytesStoreSupplier(
      String name, long retentionPeriodMs, long windowSizeMs, boolean retainDuplicates, boolean persistent) {
    Stores.requireName(name);
    if (retentionPeriodMs < 0 || windowSizeMs < 0) {
      throw new IllegalArgumentException(
          "Window store " + name + ": retention and window size must not be negative");
    }
    if (windowSizeMs > retentionPeriodMs) {
      throw new IllegalArgumentException(
          "Window store "
              + name
              + ": the retention period ("
              + retentionPeriodMs
              + " ms) must be at least the window size ("
              + windowSizeMs
              + " ms)");
    }
    this.name = name;
    this.retentionPeriodMs = retentionPeriodMs;
    this.windowSizeMs = windowSizeMs;
    this.retainDuplicates = retainDuplicates;
    this.persistent = persistent;
  }

  public String name() {
    return name;
  }

  /** A new bytes store. */
  public WindowStore<Bytes, byte[]> get() {
    return new SegmentedWindowBytesStore(
        name, retentionPeriodMs, windowSizeMs, retainDuplicates, persistent);
  }

  public long retentionPeriodMs() {
    return retentionPeriodMs;
  }

  public long windowSizeMs() {
    return windowSizeMs;
  }

  /** True to keep every put (the stream-stream join's buffers) instead of one per window. */
  public boolean retainDuplicates() {
    return retainDuplicates;
  }

  public boolean persistent() {
    return persistent;
  }
}
