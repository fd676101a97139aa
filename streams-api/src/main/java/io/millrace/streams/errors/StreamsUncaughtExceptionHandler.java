package io.millrace.streams.errors;

/**
 * Decides what the application does when a stream thread dies of an exception (a processing
 * exception, a failed handler response, a fatal client error). Set with {@code
 * MillraceStreams.setUncaughtExceptionHandler}; without one the client shuts down.
 */
@FunctionalInterface
public interface StreamsUncaughtExceptionHandler {

  Response handle(Throwable exception);

  /** The choices. */
  enum Response {
    /** Start a new thread in place of the dead one; its tasks move through a rebalance. */
    REPLACE_THREAD,
    /** Stop this instance (all its threads); the others take over its tasks. */
    SHUTDOWN_CLIENT,
    /** Stop every instance of the application, through the group's next rebalance. */
    SHUTDOWN_APPLICATION
  }
}
