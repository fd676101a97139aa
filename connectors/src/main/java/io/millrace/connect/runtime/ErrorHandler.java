package io.millrace.connect.runtime;

import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one step of a record's journey under the connector's {@code errors.*} settings:
 * retries {@link RetriableException}s with exponential backoff for up to {@code
 * errors.retry.timeout}, then either fails the task ({@code errors.tolerance=none}) or logs the
 * failure, sends the original record to the dead-letter queue (sinks) and skips it ({@code
 * all}). Not thread-safe: one per task, used on the task's thread.
 */
public final class ErrorHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorHandler.class);
  private static final long INITIAL_BACKOFF_MS = 300;

  private final TaskId id;
  private final long retryTimeoutMs;
  private final long maxDelayMs;
  private final boolean tolerateAll;
  private final boolean logErrors;
  private final boolean logRecords;
  private final DeadLetterQueue dlq;
  private final BooleanSupplier stopping;
  private final TaskMetrics metrics;
  private long failures;

  public ErrorHandler(TaskId id, ConnectorConfig config, DeadLetterQueue dlq,
      BooleanSupplier stopping, TaskMetrics metrics) {
    this.metrics = metrics;
    this.id = id;
    this.retryTimeoutMs = config.getLong(ConnectorConfig.ERRORS_RETRY_TIMEOUT);
    this.maxDelayMs = config.getLong(ConnectorConfig.ERRORS_RETRY_DELAY_MAX_MS);
    this.tolerateAll = config.toleratesAll();
    this.logErrors = config.getBoolean(ConnectorConfig.ERRORS_LOG_ENABLE);
    this.logRecords = config.getBoolean(ConnectorConfig.ERRORS_LOG_INCLUDE_MESSAGES);
    this.dlq = dlq;
    this.stopping = stopping;
  }

  public boolean toleratesAll() {
    return tolerateAll;
  }

  /** Records that failed and were skipped so far. */
  public long toleratedFailures() {
    return failures;
  }

  /**
   * Runs {@code op}; returns its result, or null when it failed and the failure is tolerated.
   *
   * @param original the consumed record (sinks) for the dead-letter queue; null for sources
   * @throws ConnectException when the failure is not tolerated
   */
  public <V> V execute(Stage stage, Callable<V> op, ConsumerRecord<byte[], byte[]> original,
      Object described) {
    long deadline = retryTimeoutMs < 0 ? Long.MAX_VALUE
        : System.currentTimeMillis() + retryTimeoutMs;
    long backoff = INITIAL_BACKOFF_MS;
    while (true) {
      try {
        return op.call();
      } catch (RetriableException e) {
        long now = System.currentTimeMillis();
        if (now >= deadline || stopping.getAsBoolean()) {
          return fail(stage, e, original, described);
        }
        sleepQuietly(Math.min(Math.min(backoff, maxDelayMs), deadline - now));
        backoff = Math.min(backoff * 2, maxDelayMs);
      } catch (Exception e) {
        return fail(stage, e, original, described);
      }
    }
  }

  /** Handles a failure that happened elsewhere (for instance one reported by a sink task). */
  public <V> V fail(Stage stage, Throwable e, ConsumerRecord<byte[], byte[]> original,
      Object described) {
    if (metrics != null) {
      metrics.recordError(stage);
    }
    if (!tolerateAll) {
      throw new ConnectException("Tolerance exceeded in error handler: " + stage + " failed in "
          + "task " + id + (described == null || !logRecords ? "" : " for " + described), e);
    }
    failures++;
    if (metrics != null) {
      metrics.recordFailed(stage);
    }
    if (logErrors) {
      LOG.error("Error in stage {} of task {}, record {} skipped{}", stage, id,
          original == null ? "" : original.topic() + "-" + original.partition() + "@"
              + original.offset(),
          logRecords && described != null ? ": " + described : "", e);
    }
    if (dlq != null && original != null) {
      dlq.report(original, stage, e);
      if (metrics != null) {
        metrics.recordDeadLettered();
      }
    }
    return null;
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(Math.max(0, ms)); // backoff between retries, not synchronisation
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
  }
}
