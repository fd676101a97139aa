package io.millrace.streams.state;

import io.millrace.streams.kstream.Windowed;

/** A store of session aggregates. Only the owning task writes. */
public interface SessionStore<K, AGG> extends StateStore, ReadOnlySessionStore<K, AGG> {

  /** Puts (or, with null, removes) the session. */
  void put(Windowed<K> session, AGG aggregate);

  void remove(Windowed<K> session);
}
