package io.millrace.engine.metadata;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;

/**
 * Where the replicas of new partitions go, as Kafka places them: leaders spread evenly over the
 * live brokers, followers shifted so that no two brokers always follow each other, and with
 * {@code broker.rack} set, each partition's replicas on as many racks as possible.
 *
 * <p>The brokers are first laid out alternating racks ({@code r1:1, r2:2, r1:3, r2:4}); partition
 * {@code p}'s leader is broker {@code (p + start) mod n} of that layout and its followers come
 * after it at a shift that grows every {@code n} partitions; with racks, a follower whose rack
 * already holds a replica of the partition is skipped while another rack has none. Pure and
 * deterministic: {@code start} is chosen by the caller (the number of partitions the cluster
 * already has, so successive topics start on different brokers).
 */
final class ReplicaPlacement {

  private ReplicaPlacement() {}

  /**
   * Replicas for {@code count} partitions numbered from {@code firstPartition}.
   *
   * @throws IllegalArgumentException {@code replicationFactor} exceeds the live brokers
   */
  static List<List<Integer>> place(MetadataImage image, int firstPartition, int count, int replicationFactor,
      int start) {
    SortedSet<Integer> live = image.liveBrokerIds();
    if (replicationFactor > live.size()) {
      throw new IllegalArgumentException("The target replication factor of " + replicationFactor
          + " cannot be reached because only " + live.size() + " broker(s) are registered.");
    }
    Map<Integer, String> racks = new LinkedHashMap<>();
    boolean rackAware = false;
    for (int id : live) {
      String rack = image.brokers().get(id).rack().orElse(null);
      racks.put(id, rack);
      rackAware |= rack != null;
    }
    List<Integer> layout = rackAware ? alternatingRacks(racks) : new ArrayList<>(live);
    int n = layout.size();
    int distinctRacks = rackAware ? new HashSet<>(racks.values()).size() : 1;
    List<List<Integer>> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int p = firstPartition + i;
      int shift = n == 1 ? 0 : (p / n) % (n - 1);
      int leaderIndex = Math.floorMod(p + start, n);
      List<Integer> replicas = new ArrayList<>(replicationFactor);
      replicas.add(layout.get(leaderIndex));
      Set<String> usedRacks = new HashSet<>();
      usedRacks.add(racks.get(layout.get(leaderIndex)));
      for (int k = 0; replicas.size() < replicationFactor && k < 2 * n; k++) {
        int candidate = layout.get((leaderIndex + 1 + (shift + k) % Math.max(1, n - 1)) % n);
        if (replicas.contains(candidate)) {
          continue;
        }
        String rack = racks.get(candidate);
        boolean rackFree = !usedRacks.contains(rack) || usedRacks.size() >= distinctRacks;
        if (rackAware && !rackFree && k < n) {
          continue;
        }
        replicas.add(candidate);
        usedRacks.add(rack);
      }
      out.add(List.copyOf(replicas));
    }
    return out;
  }

  /** Brokers ordered rack by rack in turn: the first of each rack, then the second of each, ... */
  private static List<Integer> alternatingRacks(Map<Integer, String> racks) {
    Map<String, List<Integer>> byRack = new LinkedHashMap<>();
    racks.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> byRack.computeIfAbsent(String.valueOf(e.getValue()), r -> new ArrayList<>()).add(e.getKey()));
    List<List<Integer>> columns = new ArrayList<>(new java.util.TreeMap<>(byRack).values());
    List<Integer> out = new ArrayList<>();
    for (int row = 0; out.size() < racks.size(); row++) {
      for (List<Integer> column : columns) {
        if (row < column.size()) {
          out.add(column.get(row));
        }
      }
    }
    return out;
  }
}
