package io.millrace.streams.internals.topology;

import io.millrace.streams.state.StoreBuilder;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A state store of a topology and the processors connected to it.
 *
 * <p>Threading: built on one thread while the topology is described (the {@code StreamsBuilder}'s),
 * read-only afterwards.
 */
public final class StoreDef {
  private final StoreBuilder<?> builder;
  private final Set<String> processors = new LinkedHashSet<>();

  StoreDef(StoreBuilder<?> builder) {
    this.builder = builder;
  }

  public StoreBuilder<?> builder() {
    return builder;
  }

  public String name() {
    return builder.name();
  }

  public Set<String> processors() {
    return processors;
  }
}
