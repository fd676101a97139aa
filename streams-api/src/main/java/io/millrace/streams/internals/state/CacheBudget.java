package io.millrace.streams.internals.state;

/**
 * The record cache budget of one stream thread ({@code statestore.cache.max.bytes} divided by
 * the number of threads), shared by the caching layers of its stores. A store whose write takes
 * the total over the budget flushes its own dirty entries at once.
 *
 * <p>Threading: used only by its stream thread.
 */
public final class CacheBudget {
  private final long maxBytes;
  private long usedBytes;

  public CacheBudget(long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("cache size must not be negative: " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /** True when caching is on at all (a zero budget means every write goes through at once). */
  public boolean enabled() {
    return maxBytes > 0;
  }

  void add(long bytes) {
    usedBytes += bytes;
  }

  void release(long bytes) {
    usedBytes -= bytes;
  }

  boolean exceeded() {
    return usedBytes > maxBytes;
  }

  public long usedBytes() {
    return usedBytes;
  }

  public long maxBytes() {
    return maxBytes;
  }
}
