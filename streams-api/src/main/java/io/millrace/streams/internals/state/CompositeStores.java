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
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Read-only views over all local instances of a store (one per task): point reads ask each
 * until one has the key; scans chain the tasks' iterators (each in key order, not merged).
 */
@SuppressWarnings({"unchecked", "rawtypes"})
public final class CompositeStores {
  private CompositeStores() {}

  private static List<StateStore> current(Supplier<List<StateStore>> stores, String name) {
    List<StateStore> list = stores.get();
    for (StateStore s : list) {
      if (!s.isOpen()) {
        throw new InvalidStateStoreException("Store " + name + " is closing (its task is moving); retry");
      }
    }
    return list;
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
        for (ReadOnlyKeyValueStore<K, V> s : each()) {
          V v = s.get(key);
          if (v != null) {
            return v;
          }
        }
        return null;
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
        for (ReadOnlyWindowStore<K, V> s : each()) {
          V v = s.fetch(key, windowStartTime);
          if (v != null) {
            return v;
          }
        }
        return null;
      }

      @Override
      public WindowStoreIterator<V> fetch(K key, long timeFrom, long timeTo) {
        for (ReadOnlyWindowStore<K, V> s : each()) {
          WindowStoreIterator<V> it = s.fetch(key, timeFrom, timeTo);
          if (it.hasNext()) {
            return it;
          }
          it.close();
        }
        return new EmptyWindowIterator<>();
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
        for (SessionStore<K, V> s : each()) {
          V v = s.fetchSession(key, start, end);
          if (v != null) {
            return v;
          }
        }
        return null;
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
