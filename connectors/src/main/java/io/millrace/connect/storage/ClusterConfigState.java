package io.millrace.connect.storage;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable snapshot of every connector's config, target state and task configs, as read
 * from the config log up to {@link #version()} records.
 */
public record ClusterConfigState(
    long version,
    Map<String, Map<String, String>> connectorConfigs,
    Map<String, TargetState> targetStates,
    Map<String, List<Map<String, String>>> taskConfigs) {

  public static final ClusterConfigState EMPTY =
      new ClusterConfigState(0, Map.of(), Map.of(), Map.of());

  public ClusterConfigState {
    connectorConfigs = Map.copyOf(connectorConfigs);
    targetStates = Map.copyOf(targetStates);
    taskConfigs = Map.copyOf(taskConfigs);
  }

  /** Connector names in order. */
  public List<String> connectors() {
    return List.copyOf(new TreeMap<>(connectorConfigs).keySet());
  }

  public boolean contains(String connector) {
    return connectorConfigs.containsKey(connector);
  }

  public TargetState targetState(String connector) {
    return targetStates.getOrDefault(connector, TargetState.STARTED);
  }

  public List<Map<String, String>> tasks(String connector) {
    return taskConfigs.getOrDefault(connector, List.of());
  }
}
