package io.millrace.engine.network;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters shared by all listeners of one broker. Thread-safe.
 */
public final class NetworkStats {

  private final AtomicInteger openConnections = new AtomicInteger();
  private final LongAdder zeroCopyBytes = new LongAdder();

  /** Counts a new connection unless {@code max} are open already. */
  boolean tryOpenConnection(int max) {
    while (true) {
      int open = openConnections.get();
      if (open >= max) {
        return false;
      }
      if (openConnections.compareAndSet(open, open + 1)) {
        return true;
      }
    }
  }

  void connectionClosed() {
    openConnections.decrementAndGet();
  }

  /** Connections open now. */
  public int openConnections() {
    return openConnections.get();
  }

  /** Record bytes sent with sendfile, from the page cache straight to a socket. */
  public long zeroCopyBytesSent() {
    return zeroCopyBytes.sum();
  }

  LongAdder zeroCopyBytes() {
    return zeroCopyBytes;
  }
}
