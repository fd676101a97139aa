package io.millrace.engine.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;

class RequestMetricsTest {

  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final RequestMetrics requests = new RequestMetrics(new OwnedMeters(registry));

  @Test
  void anApiHasSeriesOnlyOnceItIsUsed() {
    ScrapedMetrics m = ScrapedMetrics.parse(registry.scrape());
    assertThat(m.find("millrace_request_duration_seconds_count")).isEmpty();
    assertThat(m.value("millrace_request_unsupported_total")).hasValue(0);
    requests.recordLatency(ApiKeys.PRODUCE, TimeUnit.MILLISECONDS.toNanos(3));
    requests.recordLatency(ApiKeys.PRODUCE, TimeUnit.MILLISECONDS.toNanos(40));
    requests.recordError(ApiKeys.FETCH);
    requests.recordUnsupported();
    m = ScrapedMetrics.parse(registry.scrape());
    assertThat(m.find("millrace_request_duration_seconds_count")).hasSize(2);
    assertThat(m.value("millrace_request_duration_seconds_count", "api", "Fetch")).hasValue(0);
    assertThat(m.find("millrace_request_duration_seconds_count", "api", "Metadata")).isEmpty();
    assertThat(m.value("millrace_request_duration_seconds_count", "api", "Produce")).hasValue(2);
    assertThat(m.value("millrace_request_duration_seconds_sum", "api", "Produce").orElseThrow())
        .isCloseTo(0.043, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(m.value("millrace_request_errors_total", "api", "Fetch")).hasValue(1);
    assertThat(m.value("millrace_request_errors_total", "api", "Produce")).as("a used API has a count").hasValue(0);
    assertThat(m.value("millrace_request_unsupported_total")).hasValue(1);
  }

  @Test
  void latencyBucketsAreTheFixedSet() {
    requests.recordLatency(ApiKeys.METADATA, TimeUnit.MILLISECONDS.toNanos(7));
    ScrapedMetrics m = ScrapedMetrics.parse(registry.scrape());
    // The fixed buckets and +Inf: a bounded number of series per API.
    assertThat(m.find("millrace_request_duration_seconds_bucket", "api", "Metadata"))
        .hasSize(RequestMetrics.BUCKETS.length + 1);
    assertThat(m.value("millrace_request_duration_seconds_bucket", "api", "Metadata", "le", "0.005")).hasValue(0);
    assertThat(m.value("millrace_request_duration_seconds_bucket", "api", "Metadata", "le", "0.01")).hasValue(1);
  }
}
