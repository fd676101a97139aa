package io.millrace.streams.internals.state;

import io.millrace.streams.KeyValue;
import io.millrace.streams.state.KeyValueIterator;
import java.util.function.Function;

/**
 * A {@link KeyValueIterator} whose keys and values are converted on the way out.
 *
 * <p>Threading: the thread that iterates.
 */
public final class MappedIterator<K1, V1, K2, V2> implements KeyValueIterator<K2, V2> {
  private final KeyValueIterator<K1, V1> inner;
  private final Function<K1, K2> keys;
  private final Function<V1, V2> values;

  public MappedIterator(KeyValueIterator<K1, V1> inner, Function<K1, K2> keys, Function<V1, V2> values) {
    this.inner = inner;
    this.keys = keys;
    this.values = values;
  }

  @Override
  public boolean hasNext() {
    return inner.hasNext();
  }

  @Override
  public KeyValue<K2, V2> next() {
    KeyValue<K1, V1> kv = inner.next();
    return KeyValue.pair(keys.apply(kv.key()), values.apply(kv.value()));
  }

  @Override
  public K2 peekNextKey() {
    return keys.apply(inner.peekNextKey());
  }

  @Override
  public void close() {
    inner.close();
  }
}
