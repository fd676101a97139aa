package io.millrace.connect.runtime;

/** A task: its connector and its number (0-based). Written {@code connector-N}. */
public record TaskId(String connector, int task) implements Comparable<TaskId> {
  @Override
  public String toString() {
    return connector + "-" + task;
  }

  @Override
  public int compareTo(TaskId o) {
    int c = connector.compareTo(o.connector);
    return c != 0 ? c : Integer.compare(task, o.task);
  }
}
