package io.millrace.engine.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A family of gauges whose label sets come and go with the data (groups, their partitions): each
 * {@link #update} sets the values of the label sets given, registers the new ones and removes the
 * ones not given, so nothing stale stays behind. For values computed in batches, off the hot path.
 * Thread-safe (updates are serialised).
 */
final class GaugeSet {

  private final OwnedMeters meters;
  private final String name;
  private final String baseUnit;
  private final String description;
  private final Map<Tags, Entry> entries = new HashMap<>();

  private static final class Entry {
    volatile double value;
    Gauge gauge;
  }

  GaugeSet(OwnedMeters meters, String name, String baseUnit, String description) {
    this.meters = meters;
    this.name = name;
    this.baseUnit = baseUnit;
    this.description = description;
  }

  /** Makes the family exactly {@code values}. */
  synchronized void update(Map<Tags, Double> values) {
    for (Iterator<Map.Entry<Tags, Entry>> it = entries.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Tags, Entry> e = it.next();
      if (!values.containsKey(e.getKey())) {
        meters.remove(e.getValue().gauge);
        it.remove();
      }
    }
    values.forEach((tags, value) -> {
      Entry entry = entries.get(tags);
      if (entry == null) {
        entry = new Entry();
        entry.value = value;
        entry.gauge = meters.own(Gauge.builder(name, entry, en -> en.value).tags(tags).baseUnit(baseUnit)
            .description(description).strongReference(true).register(meters.registry()));
        entries.put(tags, entry);
      } else {
        entry.value = value;
      }
    });
  }

  /** Removes every gauge of the family. */
  synchronized void clear() {
    entries.values().forEach(e -> meters.remove(e.gauge));
    entries.clear();
  }

  synchronized int size() {
    return entries.size();
  }
}
