package io.millrace.connect.storage;

/**
 * An operator's request to restart a connector ({@code task} = -1), optionally with its tasks,
 * or one task ({@code task} ≥ 0). Delivered once to every worker through the config log.
 */
public record RestartRequest(String connector, int task, boolean includeTasks,
    boolean onlyFailed) {

  public boolean forConnector() {
    return task < 0;
  }
}
