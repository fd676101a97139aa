package io.millrace.streams.state;

/**
 * A store of state local to a task, e.g. a key-value or window store.
 *
 * <p>Lifecycle: the runtime builds one instance per task with its {@link StoreBuilder}, calls
 * {@link #init} (where the store registers itself for restoration), {@link #flush} on every
 * commit, and {@link #close} when the task closes. All of this happens on the task's stream
 * thread. Reads from other threads (interactive queries) are allowed on the built-in stores.
 *
 * <p>Threading: a task's stores are written by its stream thread only; interactive queries read
 * them from other threads through read-only views, which the stores {@link Stores} makes allow. A
 * custom store must allow the same.
 */
public interface StateStore {

  String name();

  /** Opens the store and registers it with {@link StateStoreContext#register}. */
  void init(StateStoreContext context, StateStore root);

  /** Makes every write so far durable locally (called before a commit's checkpoint). */
  void flush();

  void close();

  /** True if the store keeps its data on local disk across restarts. */
  boolean persistent();

  boolean isOpen();
}
