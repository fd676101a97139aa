package io.millrace.connect.herder;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * How long a request (or a step of starting) may wait for a store: {@code
 * worker.request.timeout.ms}.
 */
record RequestTimeout(long ms) {

  /**
   * Waits for {@code f}; a failure comes out as a {@link ConnectException} (the store's own when
   * it is one), running out of time as one that says how long it waited.
   */
  <T> T await(CompletableFuture<T> f) {
    try {
      return f.get(ms, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectException("Interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ConnectException ce) {
        throw ce;
      }
      throw new ConnectException(cause.getMessage(), cause);
    } catch (TimeoutException e) {
      throw new ConnectException("Request timed out after " + ms + " ms");
    }
  }
}
