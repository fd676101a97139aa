package io.millrace.streams.internals.kstream;

import io.millrace.streams.KeyValue;
import io.millrace.streams.processor.ProcessorSupplier;
import io.millrace.streams.processor.Record;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;

/** The stream operators that keep no state: one record in, zero or more out. */
final class StatelessProcessors {
  private StatelessProcessors() {}

  static <K, V> ProcessorSupplier<K, V, K, V> filter(BiPredicate<? super K, ? super V> p, boolean not) {
    return () -> new ContextualProcessor<>() {
      @Override
      public void process(Record<K, V> r) {
        if (p.test(r.key(), r.value()) != not) {
          context.forward(r);
        }
      }
    };
  }

  static <K, V, KR, VR> ProcessorSupplier<K, V, KR, VR> map(
      BiFunction<? super K, ? super V, ? extends KeyValue<? extends KR, ? extends VR>> mapper) {
    return () -> new ContextualProcessor<>() {
      @Override
      public void process(Record<K, V> r) {
        KeyValue<? extends KR, ? extends VR> kv = mapper.apply(r.key(), r.value());
        if (kv == null) {
          throw new NullPointerException("The mapper of map() returned null instead of a KeyValue");
        }
        context.forward(new Record<KR, VR>(kv.key(), kv.value(), r.timestamp(), r.headers()));
      }
    };
  }

  static <K, V, VR> ProcessorSupplier<K, V, K, VR> mapValues(BiFunction<? super K, ? super V, ? extends VR> mapper) {
    return () -> new ContextualProcessor<>() {
      @Override
      public void process(Record<K, V> r) {
        context.forward(r.withValue((VR) mapper.apply(r.key(), r.value())));
      }
    };
  }

  static <K, V, KR> ProcessorSupplier<K, V, KR, V> selectKey(BiFunction<? super K, ? super V, ? extends KR> mapper) {
    return () -> new ContextualProcessor<>() {
      @Override
      public void process(Record<K, V> r) {
        context.forward(r.withKey((KR) mapper.apply(r.key(), r.value())));
      }
    };
  }

  static <K, V, KR, VR> ProcessorSupplier<K, V, KR, VR> flatMap(
      BiFunction<? super K, ? super V, ? extends Iterable<? extends KeyValue<? extends KR, ? extends VR>>> mapper) {
    return () -> new ContextualProcessor<>() {
      @Override
      public void process(Record<K, V> r) {
        Iterable<? extends KeyValue<? extends KR, ? extends VR>> out = mapper.apply(r.key(), r.value());
        if (out == null) {
          throw new NullPointerException("The mapper of flatMap() returned null instead of an Iterable");
        }
        for (KeyValue<? extends KR, ? extends VR> kv : out) {
          context.forward(new Record<KR, VR>(kv.key(), kv.value(), r.timestamp(), r.headers()));
        }
      }
    };
  }

  static <K, V, VR> ProcessorSupplier<K, V, K, VR> flatMapValues(
      BiFunction<? super K, ? super V, ? extends Iterable<? extends VR>> mapper) {
    return () -> new ContextualProcessor<>() {
      @Override
      public void process(Record<K, V> r) {
        Iterable<? extends VR> out = mapper.apply(r.key(), r.value());
        if (out == null) {
          throw new NullPointerException("The mapper of flatMapValues() returned null instead of an Iterable");
        }
        for (VR v : out) {
          context.forward(r.withValue(v));
        }
      }
    };
  }

  /** Calls the action; forwards only if {@code forward} (peek) rather than not (foreach). */
  static <K, V> ProcessorSupplier<K, V, K, V> peek(BiConsumer<? super K, ? super V> action, boolean forward) {
    return () -> new ContextualProcessor<>() {
      @Override
      public void process(Record<K, V> r) {
        action.accept(r.key(), r.value());
        if (forward) {
          context.forward(r);
        }
      }
    };
  }

  /** Forwards every record (merge points, join outputs). */
  static <K, V> ProcessorSupplier<K, V, K, V> passThrough() {
    return () -> new ContextualProcessor<>() {
      @Override
      public void process(Record<K, V> r) {
        context.forward(r);
      }
    };
  }

  /** Sends each record to the child of the first matching predicate, else the default child. */
  static <K, V> ProcessorSupplier<K, V, K, V> branch(
      List<BiPredicate<? super K, ? super V>> predicates, List<String> children, String defaultChild) {
    return () -> new ContextualProcessor<>() {
      @Override
      public void process(Record<K, V> r) {
        for (int i = 0; i < predicates.size(); i++) {
          if (predicates.get(i).test(r.key(), r.value())) {
            context.forward(r, children.get(i));
            return;
          }
        }
        if (defaultChild != null) {
          context.forward(r, defaultChild);
        }
      }
    };
  }

  /** A table's updates as a stream: the new value of each change. */
  static <K, V> ProcessorSupplier<K, Change<V>, K, V> tableToStream() {
    return () -> new ContextualProcessor<>() {
      @Override
      public void process(Record<K, Change<V>> r) {
        context.forward(r.withValue(r.value().newValue()));
      }
    };
  }
}
