package io.millrace.streams.internals.kstream;

import io.millrace.streams.processor.ProcessorContext;
import io.millrace.streams.state.ValueAndTimestamp;

/** Reads a table's current value for a key (for joins), from a store or computed from one. */
interface KTableValueGetter<K, V> {

  void init(ProcessorContext<?, ?> context);

  ValueAndTimestamp<V> get(K key);
}
