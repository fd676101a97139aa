package io.millrace.engine.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The meters one component registered in a (possibly shared) registry, so that closing the
 * component removes exactly its series: a broker restarted in the same JVM, or a partition that
 * moved away, leaves nothing stale behind. Thread-safe.
 */
final class OwnedMeters {

  private final MeterRegistry registry;
  private final Set<Meter.Id> ids = ConcurrentHashMap.newKeySet();

  OwnedMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  MeterRegistry registry() {
    return registry;
  }

  /** Remembers {@code meter} and returns it. */
  <M extends Meter> M own(M meter) {
    ids.add(meter.getId());
    return meter;
  }

  /** Removes one meter from the registry. */
  void remove(Meter meter) {
    if (meter != null && ids.remove(meter.getId())) {
      registry.remove(meter.getId());
    }
  }

  /** Removes every meter owned. */
  void removeAll() {
    List<Meter.Id> all = new ArrayList<>(ids);
    ids.clear();
    all.forEach(registry::remove);
  }
}
