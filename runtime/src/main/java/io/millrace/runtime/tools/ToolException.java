package io.millrace.runtime.tools;

/**
 * A failure a tool reports to its user in one line, without a stack trace: an unknown topic, a
 * broker that cannot be reached, a value the broker refused. The tool prints {@code Error: } and
 * the message on stderr and exits with status 1.
 */
public final class ToolException extends RuntimeException {

  public ToolException(String message) {
    super(message, null, false, false);
  }

  public ToolException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
