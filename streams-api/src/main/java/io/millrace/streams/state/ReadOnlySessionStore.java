package io.millrace.streams.state;

import io.millrace.streams.kstream.Windowed;

/** Reads of a session store: one value per key and session (start and end time). */
public interface ReadOnlySessionStore<K, AGG> {

  /** Every retained session of {@code key}, by end time. */
  KeyValueIterator<Windowed<K>, AGG> fetch(K key);

  /** The value of the session of {@code key} with exactly these bounds, or null. */
  AGG fetchSession(K key, long sessionStartTime, long sessionEndTime);

  /**
   * Sessions of {@code key} ending at or after {@code earliestSessionEndTime} and starting at
   * or before {@code latestSessionStartTime}: those a record could merge with.
   */
  KeyValueIterator<Windowed<K>, AGG> findSessions(
      K key, long earliestSessionEndTime, long latestSessionStartTime);
}
