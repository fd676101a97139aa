package io.millrace.runtime.tools;

import java.io.PrintStream;

/**
 * One status line on a terminal, rewritten in place ({@code \r}) at most ten times a second and
 * erased when the work ends. Off when nobody watches (output redirected, tests): then every call
 * does nothing, so logs and pipes stay clean.
 *
 * <p>Thread-safe: a reporter thread may update while the worker finishes.
 */
public final class TerminalProgress implements AutoCloseable {

  private static final long MIN_INTERVAL_NS = 100_000_000L;

  private final PrintStream out;
  private final boolean enabled;
  private long lastShownNs;
  private int shownLength;

  public TerminalProgress(PrintStream out, boolean enabled) {
    this.out = out;
    this.enabled = enabled;
  }

  public boolean enabled() {
    return enabled;
  }

  /** Shows the line unless one was shown less than 100 ms ago. */
  public synchronized void update(String line) {
    long now = System.nanoTime();
    if (!enabled || (shownLength > 0 && now - lastShownNs < MIN_INTERVAL_NS)) {
      return;
    }
    lastShownNs = now;
    String padded = line.length() < shownLength ? line + " ".repeat(shownLength - line.length()) : line;
    out.print("\r" + padded);
    out.flush();
    shownLength = line.length();
  }

  /** Erases the line (before printing something that must stay). */
  public synchronized void clear() {
    if (enabled && shownLength > 0) {
      out.print("\r" + " ".repeat(shownLength) + "\r");
      out.flush();
      shownLength = 0;
    }
  }

  @Override
  public void close() {
    clear();
  }
}
