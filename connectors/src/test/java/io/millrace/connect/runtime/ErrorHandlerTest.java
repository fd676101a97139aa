package io.millrace.connect.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.Test;

/** errors.tolerance and errors.retry.timeout, without a dead-letter queue. */
class ErrorHandlerTest {
  private final Plugins plugins = new Plugins();

  private ErrorHandler handler(String tolerance, long retryMs) {
    Map<String, String> p = new HashMap<>();
    p.put("name", "c");
    p.put("connector.class", "FileStreamSource");
    p.put("errors.tolerance", tolerance);
    p.put("errors.retry.timeout", Long.toString(retryMs));
    p.put("errors.retry.delay.max.ms", "5");
    return new ErrorHandler(new TaskId("c", 0), new ConnectorConfig(plugins, p, false), null,
        () -> false, null);
  }

  @Test
  void noToleranceFailsWithTheStageAndCause() {
    DataException cause = new DataException("bad bytes");
    assertThatThrownBy(() -> handler("none", 0).execute(Stage.VALUE_CONVERTER, () -> {
      throw cause;
    }, null, null)).isInstanceOf(ConnectException.class)
        .hasMessageContaining("Tolerance exceeded").hasMessageContaining("VALUE_CONVERTER")
        .hasCause(cause);
  }

  @Test
  void toleranceAllSkipsAndCounts() {
    ErrorHandler h = handler("all", 0);
    Object out = h.execute(Stage.TRANSFORMATION, () -> {
      throw new DataException("x");
    }, null, null);
    assertThat(out).isNull();
    assertThat(h.toleratedFailures()).isEqualTo(1);
  }

  @Test
  void retriableFailuresAreRetriedWithinTheTimeout() {
    AtomicInteger calls = new AtomicInteger();
    String out = handler("none", 10_000).execute(Stage.TASK_PUT, () -> {
      if (calls.incrementAndGet() < 3) {
        throw new RetriableException("not yet");
      }
      return "done";
    }, null, null);
    assertThat(out).isEqualTo("done");
    assertThat(calls.get()).isEqualTo(3);
  }

  @Test
  void withoutRetryTimeoutARetriableFailureFailsAtOnce() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> handler("none", 0).execute(Stage.TASK_PUT, () -> {
      calls.incrementAndGet();
      throw new RetriableException("down");
    }, null, null)).isInstanceOf(ConnectException.class);
    assertThat(calls.get()).isEqualTo(1);
  }
}
