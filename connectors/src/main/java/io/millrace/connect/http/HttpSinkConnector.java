package io.millrace.connect.http;

import io.millrace.connect.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * POSTs records as JSON arrays of their values, {@code batch.max.size} at a time. A 5xx, 408 or
 * 429 answer, a timeout or an I/O error is retried with exponential backoff up to {@code
 * max.retries} times; after that, or at once on any other 4xx, the batch has failed for good
 * and its records go to the dead-letter topic (or fail the task), as {@code errors.tolerance}
 * says.
 */
public final class HttpSinkConnector extends SinkConnector {
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

  private Map<String, String> props;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    new AbstractConfig(CONFIG, props);
    this.props = props;
  }

  @Override
  public Class<? extends Task> taskClass() {
    return HttpSinkTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Map<String, String>> out = new ArrayList<>();
    for (int i = 0; i < maxTasks; i++) {
      out.add(props);
    }
    return out;
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return CONFIG;
  }
}
