package io.millrace.connect.http;

import io.millrace.connect.builtin.BuiltInSinkConnector;
import io.millrace.connect.builtin.TaskSplit;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;

/**
 * POSTs records as JSON arrays of their values, {@code batch.max.size} at a time. A 5xx, 408 or
 * 429 answer, a timeout or an I/O error is retried with exponential backoff up to {@code
 * max.retries} times; after that, or at once on any other 4xx, the batch has failed for good
 * and its records go to the dead-letter topic (or fail the task), as {@code errors.tolerance}
 * says.
 */
public final class HttpSinkConnector extends BuiltInSinkConnector {
  static final String METHOD = "http.method";
  static final String BATCH_MAX_SIZE = "batch.max.size";
  static final String MAX_RETRIES = "max.retries";
  static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
  static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";

  static final ConfigDef CONFIG = HttpSettings.define(new ConfigDef())
      .define(METHOD, Type.STRING, "POST", ValidString.in("POST", "PUT", "PATCH"),
          Importance.MEDIUM, "HTTP method of the requests.")
      .define(BATCH_MAX_SIZE, Type.INT, 100, Range.between(1, 100_000), Importance.MEDIUM,
          "Most records in one request.")
      .define(MAX_RETRIES, Type.INT, 5, Range.atLeast(0), Importance.MEDIUM,
          "Retries of a request that failed for a passing reason (5xx, 408, 429, timeout, I/O).")
      .define(RETRY_BACKOFF_MS, Type.LONG, 200L, Range.atLeast(0), Importance.LOW,
          "First wait before a retry; doubles each time.")
      .define(RETRY_BACKOFF_MAX_MS, Type.LONG, 10_000L, Range.atLeast(0), Importance.LOW,
          "Longest wait before a retry.");

  public HttpSinkConnector() {
    super(CONFIG, HttpSinkTask.class, TaskSplit.PER_MAX_TASKS);
  }
}
