package io.millrace.streams.state;

import io.millrace.streams.kstream.Windowed;

/**
 * A store of session aggregates. Only the owning task writes.
 *
 * <p>Threading: written by its task's stream thread only; read-only views of it may be read from
 * any thread (interactive queries).
 */
public interface SessionStore<K, AGG> extends StateStore, ReadOnlySessionStore<K, AGG> {

  /** Puts (or, with null, removes) the session. */
  void put(Windowed<K> session, AGG aggregate);

  void remove(Windowed<K> session);
}
