package io.millrace.streams.state;

import io.millrace.streams.kstream.Windowed;

/**
 * Reads of a session store: one value per key and session (start and end time).
 *
 * <p>Threading: may be called from any thread (interactive queries) while the task's stream
 * thread writes: a read sees a key's value from before or after a write, and iterators are
 * weakly consistent (they may or may not see writes made while they run). Close iterators.
 */
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
