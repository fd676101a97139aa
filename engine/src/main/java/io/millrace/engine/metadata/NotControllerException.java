package io.millrace.engine.metadata;

/** This broker is not (or no longer) the active controller; the caller retries elsewhere. */
public final class NotControllerException extends org.apache.kafka.common.errors.NotControllerException {

  public NotControllerException(String message) {
    super(message);
  }
}
