package io.millrace.streams.internals.kstream;

import io.millrace.streams.internals.processor.ProcessorContextImpl;
import io.millrace.streams.internals.processor.ProcessorNode;
import io.millrace.streams.internals.state.TypedKeyValueStore;
import io.millrace.streams.internals.state.TypedSessionStore;
import io.millrace.streams.internals.state.TypedWindowStore;
import io.millrace.streams.processor.ProcessorContext;
import io.millrace.streams.processor.Record;
import io.millrace.streams.state.StateStore;
import io.millrace.streams.state.ValueAndTimestamp;

/**
 * Forwards a stateful operator's updates: at once if its store does not cache, else from the
 * store's cache flush (one update per key per commit, with the value at the previous flush as
 * the old value).
 */
final class TupleForwarder<K, V> {
  private final ProcessorContext<K, Change<V>> context;
  private final boolean caching;

  @SuppressWarnings({"unchecked", "rawtypes"})
  TupleForwarder(StateStore store, ProcessorContext<K, Change<V>> context) {
    this.context = context;
    ProcessorContextImpl ctx = (ProcessorContextImpl) (Object) context;
    ProcessorNode node = ctx.currentNode();
    if (store instanceof TypedKeyValueStore kv) {
      caching = kv.setFlushListener((k, n, o, ts) -> ctx.forwardFrom(node, record(k, n, o, ts)));
    } else if (store instanceof TypedWindowStore w) {
      caching = w.setFlushListener((k, n, o, ts) -> ctx.forwardFrom(node, record(k, n, o, ts)));
    } else if (store instanceof TypedSessionStore s) {
      caching = s.setFlushListener((k, n, o, ts) -> ctx.forwardFrom(node, record(k, n, o, ts)));
    } else {
      caching = false;
    }
  }

  private static Record<Object, Change<Object>> record(Object key, Object n, Object o, long ts) {
    return new Record<>(key, new Change<>(plain(n), plain(o)), Math.max(0, ts));
  }

  private static Object plain(Object v) {
    return v instanceof ValueAndTimestamp<?> vt ? vt.value() : v;
  }

  /** Forwards unless the store's cache will. */
  void maybeForward(Record<K, Change<V>> record) {
    if (!caching) {
      context.forward(record);
    }
  }
}
