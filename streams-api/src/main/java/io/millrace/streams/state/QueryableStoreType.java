package io.millrace.streams.state;

import java.util.List;
import java.util.function.Supplier;

/**
 * A kind of store an application can query ({@link QueryableStoreTypes}): whether a store is of
 * that kind, and a read-only view over the instance's stores of a name (one per local task).
 *
 * <p>Stateless; thread-safe.
 */
public interface QueryableStoreType<T> {

  boolean accepts(StateStore store);

  /**
   * @param stores the current stores of that name (looked up again on every call, since tasks
   *     move between instances)
   */
  T create(Supplier<List<StateStore>> stores, String storeName);
}
