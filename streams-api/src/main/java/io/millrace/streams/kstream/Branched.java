package io.millrace.streams.kstream;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One branch of {@link KStream#split()}: its name (the key in the returned map, after the
 * split's name) and what to do with it.
 *
 * <p>Immutable: each {@code with...} returns a new instance; thread-safe.
 */
public final class Branched<K, V> {
  final String name;
  final Function<? super KStream<K, V>, ? extends KStream<K, V>> chain;
  final Consumer<? super KStream<K, V>> consumer;

  private Branched(String name, Function<? super KStream<K, V>, ? extends KStream<K, V>> chain,
      Consumer<? super KStream<K, V>> consumer) {
    this.name = name;
    this.chain = chain;
    this.consumer = consumer;
  }

  public static <K, V> Branched<K, V> as(String name) {
    Named.validate(name);
    return new Branched<>(name, null, null);
  }

  /** The map holds what {@code chain} returns (or nothing, if it returns null). */
  public static <K, V> Branched<K, V> withFunction(
      Function<? super KStream<K, V>, ? extends KStream<K, V>> chain) {
    return new Branched<>(null, chain, null);
  }

  public static <K, V> Branched<K, V> withFunction(
      Function<? super KStream<K, V>, ? extends KStream<K, V>> chain, String name) {
    Named.validate(name);
    return new Branched<>(name, chain, null);
  }

  /** The branch is handed to {@code consumer} and left out of the map. */
  public static <K, V> Branched<K, V> withConsumer(Consumer<? super KStream<K, V>> consumer) {
    return new Branched<>(null, null, consumer);
  }

  public static <K, V> Branched<K, V> withConsumer(Consumer<? super KStream<K, V>> consumer, String name) {
    Named.validate(name);
    return new Branched<>(name, null, consumer);
  }

  public String name() {
    return name;
  }

  public Function<? super KStream<K, V>, ? extends KStream<K, V>> chain() {
    return chain;
  }

  public Consumer<? super KStream<K, V>> consumer() {
    return consumer;
  }
}
