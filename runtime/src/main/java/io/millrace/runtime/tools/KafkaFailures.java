package io.millrace.runtime.tools;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicDeletionDisabledException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Turns what kafka-clients throws into one line a user can act on. The broker's own error
 * messages are kept (they name the key, the value and the limit); generic ones get the context
 * the tool knows.
 */
public final class KafkaFailures {

  private KafkaFailures() {}

  /** The exception that says what went wrong, without the future and wrapper layers around it. */
  public static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof ExecutionException || e instanceof CompletionException
        || (e instanceof KafkaException && e.getClass() == KafkaException.class && e.getCause() != null))
        && e.getCause() != null && e.getCause() != e) {
      e = e.getCause();
    }
    return e;
  }

  /**
   * A one-line description of a failure.
   *
   * @param bootstrapServers where the tool connects, named in timeouts (may be null)
   */
  public static String describe(Throwable failure, String bootstrapServers) {
    Throwable e = unwrap(failure);
    String where = bootstrapServers == null ? "the broker" : "the broker at " + bootstrapServers;
    if (e instanceof TimeoutException) {
      return "timed out waiting for " + where + " (" + message(e) + "). Is it running and reachable? "
          + "Longer waits: default.api.timeout.ms / request.timeout.ms in --command-config.";
    }
    if (e instanceof TopicDeletionDisabledException) {
      return "topic deletion is disabled on " + where
          + ": set delete.topic.enable=true in its server.properties and restart it.";
    }
    if (e instanceof UnsupportedVersionException) {
      return where + " does not support this operation (" + message(e) + ").";
    }
    return message(e);
  }

  /** The exception's message, or its type when it has none. */
  public static String message(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
