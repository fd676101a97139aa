package io.millrace.runtime.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every PromQL expression in {@code grafana/} (dashboard panels, dashboard variables, alerting
 * rules) and the series names and labels they use.
 */
final class GrafanaQueries {

  /** The repository's grafana folder, from the runtime module's directory (where tests run). */
  static final Path GRAFANA = Path.of("..", "grafana").toAbsolutePath().normalize();

  /** Every series the project publishes starts with one of these (docs/metrics.md). */
  private static final Pattern METRIC = Pattern.compile("\\b((?:millrace|jvm|process|system|vertx)_[a-zA-Z0-9_]+)");
  /** {@code name{label="v", other=~"x"}}. */
  private static final Pattern SELECTOR =
      Pattern.compile("\\b((?:millrace|jvm|process|system|vertx)_[a-zA-Z0-9_]+)\\s*\\{([^}]*)}");
  private static final Pattern MATCHER_KEY = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");
  private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([^,]+?)\\s*,\\s*([a-zA-Z0-9_]+)\\s*\\)");
  /** Prometheus's own series, which no Millrace process publishes. */
  static final Set<String> PROMETHEUS_SERIES = Set.of("up");

  /** One expression and where it is. */
  record Query(String where, String expr) {
    @Override
    public String toString() {
      return where + ": " + expr;
    }
  }

  private GrafanaQueries() {}

  static List<Path> dashboards() {
    try (Stream<Path> files = Files.list(GRAFANA.resolve("dashboards"))) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(Path file) {
    try {
      return new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + file, e);
    }
  }

  static JsonNode yaml(Path file) {
    try {
      return new YAMLMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + file, e);
    }
  }

  /** Panel targets and alert rules: expressions that must return series. */
  static List<Query> queries() {
    List<Query> out = new ArrayList<>();
    for (Path file : dashboards()) {
      for (JsonNode panel : json(file).path("panels")) {
        for (JsonNode target : panel.path("targets")) {
          out.add(new Query(file.getFileName() + " panel '" + panel.path("title").asText() + "' "
              + target.path("refId").asText(), target.path("expr").asText()));
        }
      }
    }
    for (JsonNode group : yaml(GRAFANA.resolve("prometheus/alerts.yml")).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        out.add(new Query("alerts.yml " + rule.path("alert").asText(), rule.path("expr").asText()));
      }
    }
    return out;
  }

  /** Dashboard variables: {@code label_values(series, label)} queries. */
  static List<Query> variableQueries() {
    List<Query> out = new ArrayList<>();
    for (Path file : dashboards()) {
      for (JsonNode v : json(file).path("templating").path("list")) {
        if (v.path("type").asText().equals("query")) {
          JsonNode q = v.path("query");
          out.add(new Query(file.getFileName() + " variable " + v.path("name").asText(),
              q.isObject() ? q.path("query").asText() : q.asText()));
        }
      }
    }
    return out;
  }

  /** Series names an expression reads. */
  static Set<String> metricNames(String expr) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = METRIC.matcher(stripStrings(expr));
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** Label names each series selector of the expression matches on. */
  static Map<String, Set<String>> selectorLabels(String expr) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    Matcher m = SELECTOR.matcher(expr);
    while (m.find()) {
      Set<String> keys = out.computeIfAbsent(m.group(1), k -> new LinkedHashSet<>());
      Matcher k = MATCHER_KEY.matcher(m.group(2).replaceAll("\"[^\"]*\"", "\"\""));
      while (k.find()) {
        keys.add(k.group(1));
      }
    }
    return out;
  }

  /** Label names of {@code by (...)} and {@code without (...)} clauses. */
  static Set<String> groupingLabels(String expr) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = GROUPING.matcher(stripStrings(expr));
    while (m.find()) {
      for (String label : m.group(1).split(",")) {
        if (!label.isBlank()) {
          out.add(label.strip());
        }
      }
    }
    return out;
  }

  /** The series and label of a {@code label_values(series{...}, label)} query. */
  static Map.Entry<String, String> labelValues(String query) {
    Matcher m = LABEL_VALUES.matcher(query);
    if (!m.find()) {
      throw new IllegalArgumentException("not a label_values(series, label) query: " + query);
    }
    String series = m.group(1).replaceAll("\\{.*", "").strip();
    return Map.entry(series, m.group(2));
  }

  private static String stripStrings(String expr) {
    return expr.replaceAll("\"[^\"]*\"", "\"\"");
  }
}
