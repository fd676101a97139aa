package io.millrace.streams.errors;

/**
 * A store that cannot be used now: closed, not yet restored, or moved to another instance by
 * a rebalance. Interactive queries should retry after the application is RUNNING again.
 */
public class InvalidStateStoreException extends StreamsException {

  public InvalidStateStoreException(String message) {
    super(message);
  }
}
