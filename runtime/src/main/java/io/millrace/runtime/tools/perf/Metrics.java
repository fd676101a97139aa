package io.millrace.runtime.tools.perf;

import io.millrace.runtime.tools.TextTable;
import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/** {@code --print-metrics}: every client metric as {@code group:name:{tags}  value}, sorted. */
final class Metrics {

  private Metrics() {}

  static void print(Map<MetricName, ? extends Metric> metrics, PrintStream out) {
    Map<String, Object> sorted = new TreeMap<>();
    metrics.forEach((name, metric) -> sorted.put(name.group() + ":" + name.name() + ":" + name.tags(), metric.metricValue()));
    TextTable table = new TextTable("Metric Name", "Value");
    sorted.forEach((name, value) -> table.row(name, value instanceof Double d ? String.format(java.util.Locale.ROOT, "%.3f", d) : value));
    out.println();
    table.print(out);
  }
}
