package io.millrace.connect.herder;

import io.millrace.connect.runtime.StatusListener;
import io.millrace.connect.runtime.TaskId;
import io.millrace.connect.storage.ConfigStore;
import io.millrace.connect.storage.StatusStore;
import io.millrace.connect.storage.StatusStore.State;
import io.millrace.connect.storage.StatusStore.Status;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells everyone the state of the connectors and tasks this worker runs: writes it to the
 * status log, which every worker reads to answer {@code /status}, and to this worker's state
 * metrics. Writes are asynchronous; one that fails is logged (the next state change writes
 * again).
 *
 * <p>Thread-safe: called from the herder thread and from task threads.
 */
final class StatusReporter implements StatusListener {
  private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);

  private final String workerId;
  private final StatusStore statuses;
  private final ConfigStore configs;
  private final LongSupplier generation;
  private final StatusMetrics metrics;
  private volatile boolean closing;

  StatusReporter(String workerId, StatusStore statuses, ConfigStore configs,
      LongSupplier generation, StatusMetrics metrics) {
    this.workerId = workerId;
    this.statuses = statuses;
    this.configs = configs;
    this.generation = generation;
    this.metrics = metrics;
  }

  @Override
  public void onConnectorState(String connector, State state, Throwable error) {
    metrics.connector(connector, state);
    if (worthWriting(connector, state)) {
      whenWritten(statuses.putConnector(connector, status(state, error)), connector);
    }
  }

  @Override
  public void onTaskState(TaskId task, State state, Throwable error) {
    metrics.task(task, state);
    if (worthWriting(task.connector(), state)) {
      whenWritten(statuses.putTask(task.connector(), task.task(), status(state, error)),
          task.toString());
    }
  }

  /** From now on the worker is stopping: the last statuses it wrote stay for the next owner. */
  void closing() {
    closing = true;
  }

  private boolean worthWriting(String connector, State state) {
    if (closing && state == State.UNASSIGNED) {
      return false; // a worker shutting down leaves its last status; the next owner overwrites it
    }
    return configs.snapshot().contains(connector); // deleted: its statuses must stay removed
  }

  private Status status(State state, Throwable error) {
    return new Status(state, error == null ? null : trace(error), workerId,
        generation.getAsLong());
  }

  private static void whenWritten(CompletableFuture<Void> write,
      String what) {
    write.whenComplete((v, e) -> {
      if (e != null) {
        LOG.warn("Could not write the status of {}", what, e);
      }
    });
  }

  private static String trace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
