package io.millrace.streams.kstream;

import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Branches being defined by {@link KStream#split()}. Each record goes to the first branch whose
 * predicate accepts it, else to the default branch (or nowhere).
 *
 * <p>Result map keys are the split's name followed by the branch's name; unnamed branches are
 * numbered from 1 in order of definition and the default branch is {@code 0}.
 *
 * <p>Threading: built on one thread, like the {@code StreamsBuilder} it came from; functions passed
 * here run on stream threads, one task at a time, and one instance serves every task, so they must
 * not keep mutable state outside stores.
 */
public interface BranchedKStream<K, V> {

  BranchedKStream<K, V> branch(BiPredicate<? super K, ? super V> predicate);

  BranchedKStream<K, V> branch(BiPredicate<? super K, ? super V> predicate, Branched<K, V> branched);

  Map<String, KStream<K, V>> defaultBranch();

  Map<String, KStream<K, V>> defaultBranch(Branched<K, V> branched);

  Map<String, KStream<K, V>> noDefaultBranch();
}
