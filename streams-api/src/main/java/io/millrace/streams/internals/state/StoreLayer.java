package io.millrace.streams.internals.state;

import io.millrace.streams.state.StateStore;
import io.millrace.streams.state.StateStoreContext;
import java.util.Objects;

/**
 * A layer over another store (serdes, change tracking, a view without timestamps): its name,
 * lifecycle and durability are the inner store's. Layers override what their own work adds.
 *
 * <p>Threading: as the inner store.
 */
abstract class StoreLayer<S extends StateStore> implements StateStore {
  final S inner;

  StoreLayer(S inner) {
    this.inner = Objects.requireNonNull(inner, "inner store");
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    inner.init(context, root);
  }

  @Override
  public void flush() {
    inner.flush();
  }

  @Override
  public void close() {
    inner.close();
  }

  @Override
  public boolean persistent() {
    return inner.persistent();
  }

  @Override
  public boolean isOpen() {
    return inner.isOpen();
  }
}
