package io.millrace.connect.herder;

import org.apache.kafka.connect.errors.ConnectException;

/** A request the worker refuses as malformed or invalid: the REST API answers 400. */
public final class BadRequestException extends ConnectException {
  public BadRequestException(String message) {
    super(message);
  }
}
