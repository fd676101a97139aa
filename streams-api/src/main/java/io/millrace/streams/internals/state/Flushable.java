package io.millrace.streams.internals.state;

/**
 * A store layer with a record cache that a commit flushes before the store itself.
 *
 * <p>Threading: its task's stream thread only.
 */
public interface Flushable {

  /** Sends held-back changes to the changelog and downstream. */
  void flushCache();
}
