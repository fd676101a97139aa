package io.millrace.streams.internals.kstream;

import java.util.Set;

/** Makes value getters for a table and names the stores they read. */
interface KTableValueGetterSupplier<K, V> {

  KTableValueGetter<K, V> get();

  /** Stores the getter reads: processors using it must be connected to them. */
  Set<String> storeNames();
}
