package io.millrace.streams.errors;

import io.millrace.streams.processor.TaskId;
import java.util.Optional;

/** A failure of the streams runtime or of user code it ran, naming the task when known. */
public class StreamsException extends RuntimeException {
  private final TaskId taskId;

  public StreamsException(String message) {
    this(message, null, null);
  }

  public StreamsException(String message, Throwable cause) {
    this(message, cause, null);
  }

  public StreamsException(String message, Throwable cause, TaskId taskId) {
    super(message, cause);
    this.taskId = taskId;
  }

  /** The task that failed, if the failure belongs to one. */
  public Optional<TaskId> taskId() {
    return Optional.ofNullable(taskId);
  }
}
