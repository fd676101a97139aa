package io.millrace.connect.builtin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** How a built-in connector divides its work among tasks that all run its own config. */
public enum TaskSplit {
  /** One task does all the work: a file, a URL, a replication slot. */
  SINGLE,
  /**
   * {@code tasks.max} tasks, each with the connector's config: a sink's consumer group shares
   * the topic partitions among them.
   */
  PER_MAX_TASKS;

  /** The task configs of a connector whose config is {@code props}. */
  public List<Map<String, String>> taskConfigs(Map<String, String> props, int maxTasks) {
    int n = this == SINGLE ? 1 : maxTasks;
    List<Map<String, String>> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(props);
    }
    return out;
  }
}
