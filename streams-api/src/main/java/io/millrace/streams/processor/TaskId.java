package io.millrace.streams.processor;

/**
 * A task: one sub-topology on one partition of its source topics. Printed {@code 0_2}.
 *
 * <p>Immutable; thread-safe.
 *
 * @param subtopology the sub-topology's number
 * @param partition the partition of every source topic the task reads
 */
public record TaskId(int subtopology, int partition) implements Comparable<TaskId> {

  public TaskId {
    if (subtopology < 0 || partition < 0) {
      throw new IllegalArgumentException("Invalid task id " + subtopology + "_" + partition);
    }
  }

  /**
   * Parses {@code 0_2}.
   *
   * @throws IllegalArgumentException if the text is not of that form
   */
  public static TaskId parse(String text) {
    int sep = text.indexOf('_');
    if (sep <= 0 || sep == text.length() - 1) {
      throw new IllegalArgumentException("Not a task id (expected like 0_2): '" + text + "'");
    }
    try {
      return new TaskId(
          Integer.parseInt(text.substring(0, sep)), Integer.parseInt(text.substring(sep + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Not a task id (expected like 0_2): '" + text + "'", e);
    }
  }

  @Override
  public int compareTo(TaskId o) {
    int c = Integer.compare(subtopology, o.subtopology);
    return c != 0 ? c : Integer.compare(partition, o.partition);
  }

  @Override
  public String toString() {
    return subtopology + "_" + partition;
  }
}
