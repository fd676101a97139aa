package io.millrace.streams.internals.kstream;

import io.millrace.streams.internals.graph.ProcessorGraphNode;
import io.millrace.streams.kstream.Branched;
import io.millrace.streams.kstream.BranchedKStream;
import io.millrace.streams.kstream.KStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiPredicate;

/** Collects branches; builds the splitter and one pass-through child per branch at the end. */
final class BranchedKStreamImpl<K, V> implements BranchedKStream<K, V> {
  private final KStreamImpl<K, V> source;
  private final String splitterName;
  private final List<BiPredicate<? super K, ? super V>> predicates = new ArrayList<>();
  private final List<Branched<K, V>> branches = new ArrayList<>();
  private boolean done;

  BranchedKStreamImpl(KStreamImpl<K, V> source, String splitterName) {
    this.source = source;
    this.splitterName = splitterName;
  }

  @Override
  public BranchedKStream<K, V> branch(BiPredicate<? super K, ? super V> predicate) {
    return branch(predicate, Branched.as(Integer.toString(predicates.size() + 1)));
  }

  @Override
  public BranchedKStream<K, V> branch(BiPredicate<? super K, ? super V> predicate, Branched<K, V> branched) {
    if (done) {
      throw new IllegalStateException("The branches of this split are already complete");
    }
    predicates.add(Objects.requireNonNull(predicate, "predicate"));
    branches.add(Objects.requireNonNull(branched, "branched"));
    return this;
  }

  @Override
  public Map<String, KStream<K, V>> defaultBranch() {
    return defaultBranch(Branched.as("0"));
  }

  @Override
  public Map<String, KStream<K, V>> defaultBranch(Branched<K, V> branched) {
    return build(Objects.requireNonNull(branched, "branched"));
  }

  @Override
  public Map<String, KStream<K, V>> noDefaultBranch() {
    return build(null);
  }

  private Map<String, KStream<K, V>> build(Branched<K, V> defaultBranch) {
    if (done) {
      throw new IllegalStateException("The branches of this split are already complete");
    }
    done = true;
    List<String> childNames = new ArrayList<>();
    for (int i = 0; i < branches.size(); i++) {
      childNames.add(splitterName + nameOf(branches.get(i), i + 1));
    }
    String defaultName = defaultBranch == null ? null : splitterName + nameOf(defaultBranch, 0);
    ProcessorGraphNode splitter = new ProcessorGraphNode(splitterName,
        StatelessProcessors.branch(predicates, childNames, defaultName));
    KStreamImpl<K, V> split = source.child(splitter, source.keySerde, source.valueSerde);
    Map<String, KStream<K, V>> result = new LinkedHashMap<>();
    for (int i = 0; i < branches.size(); i++) {
      addBranch(split, childNames.get(i), branches.get(i), result);
    }
    if (defaultBranch != null) {
      addBranch(split, defaultName, defaultBranch, result);
    }
    return result;
  }

  private static String nameOf(Branched<?, ?> b, int index) {
    return b.name() != null ? b.name() : Integer.toString(index);
  }

  private void addBranch(KStreamImpl<K, V> split, String name, Branched<K, V> b, Map<String, KStream<K, V>> result) {
    KStreamImpl<K, V> branch = split.child(
        new ProcessorGraphNode(name, StatelessProcessors.passThrough()), split.keySerde, split.valueSerde);
    if (b.consumer() != null) {
      b.consumer().accept(branch);
    } else if (b.chain() != null) {
      KStream<K, V> chained = b.chain().apply(branch);
      if (chained != null) {
        result.put(name, chained);
      }
    } else {
      result.put(name, branch);
    }
  }
}
