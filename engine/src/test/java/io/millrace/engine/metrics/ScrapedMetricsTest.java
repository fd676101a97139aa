package io.millrace.engine.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScrapedMetricsTest {

  static final String TEXT = """
      # HELP millrace_topic_produced_bytes_total Record batch bytes appended by producers
      # TYPE millrace_topic_produced_bytes_total counter
      millrace_topic_produced_bytes_total{topic="orders"} 1024.0
      millrace_topic_produced_bytes_total{topic="odd \\"name\\", with \\\\ and, commas"} 2.0
      millrace_controller_active 1.0
      millrace_request_duration_seconds_bucket{api="Produce",le="+Inf"} 7
      millrace_partition_high_watermark{topic="orders",partition="0"} NaN 1700000000000
      """;

  @Test
  void parsesNamesLabelsAndValues() {
    ScrapedMetrics m = ScrapedMetrics.parse(TEXT);
    assertThat(m.samples()).hasSize(5);
    assertThat(m.names()).containsExactly("millrace_controller_active", "millrace_partition_high_watermark",
        "millrace_request_duration_seconds_bucket", "millrace_topic_produced_bytes_total");
    assertThat(m.value("millrace_topic_produced_bytes_total", "topic", "orders")).hasValue(1024);
    assertThat(m.value("millrace_topic_produced_bytes_total", "topic", "odd \"name\", with \\ and, commas"))
        .hasValue(2);
    assertThat(m.value("millrace_controller_active")).hasValue(1);
    assertThat(m.value("millrace_request_duration_seconds_bucket", "le", "+Inf")).hasValue(7);
    assertThat(m.value("millrace_partition_high_watermark").orElseThrow()).isNaN();
    assertThat(m.sum("millrace_topic_produced_bytes_total")).isEqualTo(1026);
    assertThat(m.value("millrace_nothing")).isEmpty();
  }

  @Test
  void ambiguousLookupsAskForMoreLabels() {
    ScrapedMetrics m = ScrapedMetrics.parse(TEXT);
    assertThatThrownBy(() -> m.value("millrace_topic_produced_bytes_total"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("2 samples");
    assertThatThrownBy(() -> m.find("millrace_controller_active", "odd"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aLineThatIsNotASampleIsNamed() {
    assertThatThrownBy(() -> ScrapedMetrics.parse("ok 1\nbroken{topic=orders} 2\n"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2");
    assertThatThrownBy(() -> ScrapedMetrics.parse("novalue{a=\"b\"} x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 1");
  }
}
