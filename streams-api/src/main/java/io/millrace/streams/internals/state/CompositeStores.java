package io.millrace.streams.internals.state;

import io.millrace.streams.KeyValue;
import io.millrace.streams.errors.InvalidStateStoreException;
import io.millrace.streams.kstream.Windowed;
import io.millrace.streams.state.KeyValueIterator;
import io.millrace.streams.state.KeyValueStore;
import io.millrace.streams.state.ReadOnlyKeyValueStore;
import io.millrace.streams.state.ReadOnlySessionStore;
import io.millrace.streams.state.ReadOnlyWindowStore;
import io.millrace.streams.state.SessionStore;
import io.millrace.streams.state.StateStore;
import io.millrace.streams.state.TimestampedKeyValueStore;
import io.millrace.streams.state.TimestampedWindowStore;
import io.millrace.streams.state.WindowStore;
import io.millrace.streams.state.WindowStoreIterator;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Read-only views over all local instances of a store (one per task): point reads ask each
 * until one has the key; scans chain the tasks' iterators (each in key order, not merged). While
 * a task moves away its store is closing: scans fail with {@link InvalidStateStoreException}
 * (retry), point reads only if the key is found nowhere else.
 *
 * <p>Stateless factories; the views they make may be read from any thread (interactive queries).
 */
@SuppressWarnings({"unchecked", "rawtypes"})
public final class CompositeStores {
  private CompositeStores() {}

  /** All instances, for scans: a scan over a store that is closing could not be complete. */
  private static List<StateStore> current(Supplier<List<StateStore>> stores, String name) {
    List<StateStore> list = stores.get();
    for (StateStore s : list) {
      if (!s.isOpen()) {
        throw closing(name);
      }
    }
    return list;
  }

  private static InvalidStateStoreException closing(String name) {
    return new InvalidStateStoreException("Store " + name + " is closing (its task is moving); retry");
  }

  /**
   * A point read: asks the open instances in turn and returns the first result {@code found}
   * accepts. A key lives in one task's store, so stores of other tasks closing (their tasks
   * moving away) do not disturb it; only if it is found nowhere while some store was closing
   * might it have been there, and the caller is told to retry rather than told it is absent.
   */
  private static <S, R> R pointRead(Supplier<List<StateStore>> stores, String name, Function<StateStore, S> view,
      Function<S, R> read, Predicate<R> found, Consumer<R> discard) {
    boolean closing = false;
    for (StateStore store : stores.get()) {
      if (!store.isOpen()) {
        closing = true;
        continue;
      }
      R r;
      try {
        r = read.apply(view.apply(store));
      } catch (InvalidStateStoreException closedMeanwhile) {
        closing = true;
        continue;
      }
      if (found.test(r)) {
        return r;
      }
      discard.accept(r);
    }
    if (closing) {
      throw closing(name);
    }
    return null;
  }

  private static <S, R> R pointRead(Supplier<List<StateStore>> stores, String name, Function<StateStore, S> view,
      Function<S, R> read) {
    return pointRead(stores, name, view, read, Objects::nonNull, r -> { });
  }

  public static <K, V> ReadOnlyKeyValueStore<K, V> keyValue(
      Supplier<List<StateStore>> stores, String name, boolean plainValues) {
    Function<StateStore, ReadOnlyKeyValueStore<K, V>> view = s -> plainValues && s instanceof TimestampedKeyValueStore t
        ? new TimestampedKeyValueStoreView<>(t) : (KeyValueStore<K, V>) s;
    return new ReadOnlyKeyValueStore<>() {
      private List<ReadOnlyKeyValueStore<K, V>> each() {
        List<ReadOnlyKeyValueStore<K, V>> out = new ArrayList<>();
        current(stores, name).forEach(s -> out.add(view.apply(s)));
        return out;
      }

      @Override
      public V get(K key) {
        return pointRead(stores, name, view, s -> s.get(key));
      }

      @Override
      public KeyValueIterator<K, V> range(K from, K to) {
        return chain(each(), s -> s.range(from, to));
      }

      @Override
      public KeyValueIterator<K, V> all() {
        return chain(each(), ReadOnlyKeyValueStore::all);
      }

      @Override
      public <P> KeyValueIterator<K, V> prefixScan(P prefix, Serializer<P> serializer) {
        return chain(each(), s -> s.prefixScan(prefix, serializer));
      }

      @Override
      public long approximateNumEntries() {
        long n = 0;
        for (ReadOnlyKeyValueStore<K, V> s : each()) {
          n += s.approximateNumEntries();
          if (n < 0) {
            return Long.MAX_VALUE;
          }
        }
        return n;
      }
    };
  }

  public static <K, V> ReadOnlyWindowStore<K, V> window(
      Supplier<List<StateStore>> stores, String name, boolean plainValues) {
    Function<StateStore, ReadOnlyWindowStore<K, V>> view = s -> plainValues && s instanceof TimestampedWindowStore t
        ? new TimestampedWindowStoreView<>(t) : (WindowStore<K, V>) s;
    return new ReadOnlyWindowStore<>() {
      private List<ReadOnlyWindowStore<K, V>> each() {
        List<ReadOnlyWindowStore<K, V>> out = new ArrayList<>();
        current(stores, name).forEach(s -> out.add(view.apply(s)));
        return out;
      }

      @Override
      public V fetch(K key, long windowStartTime) {
        return pointRead(stores, name, view, s -> s.fetch(key, windowStartTime));
      }

      @Override
      public WindowStoreIterator<V> fetch(K key, long timeFrom, long timeTo) {
        WindowStoreIterator<V> found = pointRead(stores, name, view, s -> s.fetch(key, timeFrom, timeTo),
            WindowStoreIterator::hasNext, WindowStoreIterator::close);
        return found != null ? found : new EmptyWindowIterator<>();
      }

      @Override
      public KeyValueIterator<Windowed<K>, V> fetch(K keyFrom, K keyTo, long timeFrom, long timeTo) {
        return chain(each(), s -> s.fetch(keyFrom, keyTo, timeFrom, timeTo));
      }

      @Override
      public KeyValueIterator<Windowed<K>, V> fetchAll(long timeFrom, long timeTo) {
        return chain(each(), s -> s.fetchAll(timeFrom, timeTo));
      }

      @Override
      public KeyValueIterator<Windowed<K>, V> all() {
        return chain(each(), ReadOnlyWindowStore::all);
      }
    };
  }

  public static <K, V> ReadOnlySessionStore<K, V> session(Supplier<List<StateStore>> stores, String name) {
    return new ReadOnlySessionStore<>() {
      private List<SessionStore<K, V>> each() {
        List<SessionStore<K, V>> out = new ArrayList<>();
        current(stores, name).forEach(s -> out.add((SessionStore<K, V>) s));
        return out;
      }

      @Override
      public KeyValueIterator<Windowed<K>, V> fetch(K key) {
        return chain(each(), s -> s.fetch(key));
      }

      @Override
      public V fetchSession(K key, long start, long end) {
        return pointRead(stores, name, s -> (SessionStore<K, V>) s, s -> s.fetchSession(key, start, end));
      }

      @Override
      public KeyValueIterator<Windowed<K>, V> findSessions(K key, long earliestEnd, long latestStart) {
        return chain(each(), s -> s.findSessions(key, earliestEnd, latestStart));
      }
    };
  }

  private static <S, K, V> KeyValueIterator<K, V> chain(List<S> stores, Function<S, KeyValueIterator<K, V>> open) {
    Iterator<S> each = stores.iterator();
    return new KeyValueIterator<>() {
      private KeyValueIterator<K, V> current;

      @Override
      public boolean hasNext() {
        while (current == null || !current.hasNext()) {
          if (current != null) {
            current.close();
            current = null;
          }
          if (!each.hasNext()) {
            return false;
          }
          current = open.apply(each.next());
        }
        return true;
      }

      @Override
      public KeyValue<K, V> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }

      @Override
      public K peekNextKey() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.peekNextKey();
      }

      @Override
      public void close() {
        if (current != null) {
          current.close();
        }
      }
    };
  }

  private static final class EmptyWindowIterator<V> implements WindowStoreIterator<V> {
    @Override
    public boolean hasNext() {
      return false;
    }

    @Override
    public KeyValue<Long, V> next() {
      throw new NoSuchElementException();
    }

    @Override
    public Long peekNextKey() {
      throw new NoSuchElementException();
    }

    @Override
    public void close() {}
  }
}
