package io.millrace.connect.herder;

import org.apache.kafka.connect.errors.ConnectException;

/** A request that conflicts with the connector's state (for instance offsets of a running one): 409. */
public final class ConflictException extends ConnectException {
  public ConflictException(String message) {
    super(message);
  }
}
