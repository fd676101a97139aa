package io.millrace.engine.metadata;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;

/**
 * A topic: its id, its partitions by index (0..n-1, none missing) and its config overrides
 * (only the keys set on the topic; defaults come from the broker).
 */
public record TopicImage(String name, Uuid id, List<PartitionImage> partitions, Map<String, String> configs) {
  public TopicImage {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(id, "id");
    partitions = List.copyOf(partitions);
    configs = java.util.Collections.unmodifiableMap(new TreeMap<>(configs));
    for (int i = 0; i < partitions.size(); i++) {
      if (partitions.get(i).partition() != i) {
        throw new IllegalArgumentException("topic " + name + ": partition at index " + i + " is "
            + partitions.get(i).partition());
      }
    }
  }

  public int numPartitions() {
    return partitions.size();
  }

  public PartitionImage partition(int index) {
    return index >= 0 && index < partitions.size() ? partitions.get(index) : null;
  }

  public TopicImage withPartitions(List<PartitionImage> newPartitions) {
    return new TopicImage(name, id, newPartitions, configs);
  }

  public TopicImage withConfigs(Map<String, String> newConfigs) {
    return new TopicImage(name, id, partitions, newConfigs);
  }
}
