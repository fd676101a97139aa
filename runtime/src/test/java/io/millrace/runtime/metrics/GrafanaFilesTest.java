package io.millrace.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.connect.WorkerConfig;
import io.millrace.engine.metrics.MetricsConfig;
import io.millrace.runtime.streams.StreamsRunCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The files of {@code grafana/} parse and fit together: dashboards are well formed, provisioning
 * points where docker-compose.yml mounts things, Prometheus scrapes the default metrics ports
 * and loads the alerting rules. (MonitoringIT checks the queries against live scrapes.)
 */
class GrafanaFilesTest {

  static final Path GRAFANA = GrafanaQueries.GRAFANA;

  @Test
  void thereIsADashboardForEachPart() {
    Set<String> titles = new HashSet<>();
    for (Path file : GrafanaQueries.dashboards()) {
      titles.add(GrafanaQueries.json(file).path("title").asText());
    }
    assertThat(titles).containsExactlyInAnyOrder("Millrace / Broker overview", "Millrace / Topics",
        "Millrace / Consumer groups and lag", "Millrace / Streams applications", "Millrace / Connectors");
  }

  @Test
  void dashboardsAreWellFormed() {
    Set<String> uids = new HashSet<>();
    for (Path file : GrafanaQueries.dashboards()) {
      JsonNode d = GrafanaQueries.json(file);
      String name = file.getFileName().toString();
      assertThat(uids.add(d.path("uid").asText())).as(name + " has a unique uid").isTrue();
      assertThat(d.path("uid").asText()).as(name).matches("[a-z0-9-]{1,40}");
      assertThat(d.path("tags").toString()).as(name).contains("millrace");
      Set<String> variables = new HashSet<>();
      for (JsonNode v : d.path("templating").path("list")) {
        variables.add(v.path("name").asText());
      }
      assertThat(variables).as(name + " lets the user pick the data source").contains("datasource");
      Set<Integer> ids = new HashSet<>();
      for (JsonNode panel : d.path("panels")) {
        String title = name + " panel '" + panel.path("title").asText() + "'";
        assertThat(ids.add(panel.path("id").asInt())).as(title + " has a unique id").isTrue();
        JsonNode pos = panel.path("gridPos");
        assertThat(pos.path("w").asInt()).as(title).isBetween(1, 24);
        assertThat(pos.path("x").asInt() + pos.path("w").asInt()).as(title + " fits the grid").isLessThanOrEqualTo(24);
        if (panel.path("type").asText().equals("row")) {
          continue;
        }
        assertThat(panel.path("description").asText()).as(title + " says what it shows").isNotBlank();
        assertThat(panel.path("datasource").path("uid").asText()).as(title).isEqualTo("${datasource}");
        assertThat(panel.path("targets").size()).as(title + " has queries").isPositive();
        for (JsonNode t : panel.path("targets")) {
          String expr = t.path("expr").asText();
          assertThat(expr).as(title).isNotBlank();
          // Every $variable a query uses is defined (Grafana's own start with $__).
          java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$([a-zA-Z_][a-zA-Z0-9_]*)").matcher(expr);
          while (m.find()) {
            if (!m.group(1).startsWith("__")) {
              assertThat(variables).as(title + " uses $" + m.group(1)).contains(m.group(1));
            }
          }
        }
      }
    }
  }

  @Test
  void everyQueryReadsProjectSeries() {
    List<String> problems = new ArrayList<>();
    for (GrafanaQueries.Query q : GrafanaQueries.queries()) {
      if (GrafanaQueries.metricNames(q.expr()).isEmpty() && !q.expr().matches("(?s).*\\bup\\{.*")) {
        problems.add(q.toString());
      }
    }
    assertThat(problems).as("queries that read no Millrace, JVM, process or Vert.x series").isEmpty();
  }

  @Test
  void dockerComposeMountsWhatProvisioningAndPrometheusRead() throws Exception {
    JsonNode compose = GrafanaQueries.yaml(GRAFANA.resolve("docker-compose.yml"));
    JsonNode prometheus = compose.path("services").path("prometheus");
    JsonNode grafana = compose.path("services").path("grafana");
    assertThat(prometheus.path("image").asText()).startsWith("prom/prometheus:v");
    assertThat(grafana.path("image").asText()).startsWith("grafana/grafana:");
    Map<String, String> mounts = new java.util.HashMap<>();
    for (JsonNode service : List.of(prometheus, grafana)) {
      for (JsonNode v : service.path("volumes")) {
        String[] parts = v.asText().split(":");
        if (parts[0].startsWith("./")) {
          Path source = GRAFANA.resolve(parts[0].substring(2));
          assertThat(source).as(v.asText()).exists();
          mounts.put(parts[1], parts[0]);
        }
      }
    }
    assertThat(mounts).containsEntry("/etc/prometheus/prometheus.yml", "./prometheus/prometheus.yml")
        .containsEntry("/etc/prometheus/alerts.yml", "./prometheus/alerts.yml")
        .containsEntry("/etc/grafana/provisioning", "./provisioning")
        .containsEntry("/etc/grafana/dashboards", "./dashboards");
    String home = grafana.path("environment").path("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").asText();
    assertThat(GRAFANA.resolve("dashboards").resolve(Path.of(home).getFileName())).exists();

    JsonNode provider = GrafanaQueries.yaml(GRAFANA.resolve("provisioning/dashboards/millrace.yml"))
        .path("providers").get(0);
    assertThat(provider.path("options").path("path").asText()).isEqualTo("/etc/grafana/dashboards");
    JsonNode datasource = GrafanaQueries.yaml(GRAFANA.resolve("provisioning/datasources/prometheus.yml"))
        .path("datasources").get(0);
    assertThat(datasource.path("type").asText()).isEqualTo("prometheus");
    assertThat(datasource.path("url").asText()).isEqualTo("http://prometheus:9090");
    assertThat(prometheus.path("ports").toString()).contains("9090:9090");
  }

  @Test
  void prometheusScrapesTheDefaultPortsAndLoadsTheRules() {
    JsonNode config = GrafanaQueries.yaml(GRAFANA.resolve("prometheus/prometheus.yml"));
    assertThat(config.path("rule_files").toString()).contains("/etc/prometheus/alerts.yml");
    Map<String, String> targets = new java.util.HashMap<>();
    for (JsonNode job : config.path("scrape_configs")) {
      targets.put(job.path("job_name").asText(), job.path("static_configs").get(0).path("targets").get(0).asText());
    }
    assertThat(targets).containsEntry("millrace-broker", "host.docker.internal:" + MetricsConfig.DEFAULT_BROKER_PORT)
        .containsEntry("millrace-connect", "host.docker.internal:" + WorkerConfig.DEFAULT_METRICS_PORT)
        .containsEntry("millrace-streams", "host.docker.internal:" + StreamsRunCommand.DEFAULT_METRICS_PORT);
  }

  @Test
  void alertRulesAreComplete() {
    JsonNode rules = GrafanaQueries.yaml(GRAFANA.resolve("prometheus/alerts.yml"));
    Set<String> names = new HashSet<>();
    for (JsonNode group : rules.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        String name = rule.path("alert").asText();
        assertThat(names.add(name)).as("unique alert " + name).isTrue();
        assertThat(name).startsWith("Millrace");
        assertThat(rule.path("expr").asText()).as(name).isNotBlank();
        assertThat(rule.path("for").asText()).as(name).matches("\\d+[smh]");
        assertThat(rule.path("labels").path("severity").asText()).as(name).isIn("critical", "warning", "info");
        assertThat(rule.path("annotations").path("summary").asText()).as(name).isNotBlank();
      }
    }
    assertThat(names).hasSizeGreaterThanOrEqualTo(10);
  }

  @Test
  void readmeSaysHowToStartIt() throws Exception {
    String readme = Files.readString(GRAFANA.resolve("README.md"));
    assertThat(readme).contains("docker compose", "9644", "9645", "9646", "3000", "9090");
  }

  /** Parses every query with Prometheus's own parser (promtool, installed by the test-tools script). */
  @Test
  void promtoolParsesEveryQuery(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path promtool = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        .map(d -> Path.of(d, "promtool")).filter(Files::isExecutable).findFirst().orElse(null);
    assertThat(promtool)
        .as("promtool on PATH (Debian package prometheus; engine/src/test/scripts/install-test-tools.sh installs it)")
        .isNotNull();
    StringBuilder rules = new StringBuilder("groups:\n  - name: grafana-queries\n    rules:\n");
    int i = 0;
    for (GrafanaQueries.Query q : GrafanaQueries.queries()) {
      String expr = q.expr().replace("$__rate_interval", "5m").replace("$__range", "1h");
      rules.append("      - record: millrace:query_").append(i++).append("\n        expr: ")
          .append(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(expr)).append('\n');
    }
    Path file = Files.writeString(dir.resolve("queries.yml"), rules);
    Process p = new ProcessBuilder(promtool.toString(), "check", "rules", file.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    Process alerts = new ProcessBuilder(promtool.toString(), "check", "rules",
        GRAFANA.resolve("prometheus/alerts.yml").toString()).redirectErrorStream(true).start();
    String alertsOut = new String(alerts.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(alerts.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(alerts.exitValue()).as(alertsOut).isZero();
  }

  @Test
  void queryParsingFindsNamesLabelsAndGroupings() {
    String expr = "histogram_quantile(0.99, sum by (api, le) (rate(millrace_request_duration_seconds_bucket"
        + "{instance=~\"$instance\", api!=\"jvm_not_a_series\"}[5m]))) / on(instance) group_left jvm_threads_live_threads";
    assertThat(GrafanaQueries.metricNames(expr))
        .containsExactly("millrace_request_duration_seconds_bucket", "jvm_threads_live_threads");
    assertThat(GrafanaQueries.selectorLabels(expr))
        .containsEntry("millrace_request_duration_seconds_bucket", Set.of("instance", "api"));
    assertThat(GrafanaQueries.groupingLabels(expr)).containsExactly("api", "le");
    assertThat(GrafanaQueries.labelValues("label_values(millrace_group_topic_lag_records{group=~\"$group\"}, topic)"))
        .isEqualTo(Map.entry("millrace_group_topic_lag_records", "topic"));
  }
}
