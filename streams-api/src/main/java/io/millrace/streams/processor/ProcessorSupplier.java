package io.millrace.streams.processor;

import io.millrace.streams.state.StoreBuilder;
import java.util.Set;

/**
 * Makes a new {@link Processor} for each task. Must return a new instance on every call.
 *
 * <p>A supplier may declare the state stores its processors use with {@link #stores()}; they
 * are then added to the topology and connected to the processor automatically.
 *
 * <p>Threading: {@code get()} is called on stream threads, once per task, and must return a new
 * processor each time; each processor is then used by its task's thread only.
 */
@FunctionalInterface
public interface ProcessorSupplier<KIn, VIn, KOut, VOut> {

  Processor<KIn, VIn, KOut, VOut> get();

  /** Stores to add and connect with this processor; none by default. */
  default Set<StoreBuilder<?>> stores() {
    return Set.of();
  }
}
