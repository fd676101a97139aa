package io.millrace.streams.internals.state;

/** A store layer with a record cache that a commit flushes before the store itself. */
public interface Flushable {

  /** Sends held-back changes to the changelog and downstream. */
  void flushCache();
}
