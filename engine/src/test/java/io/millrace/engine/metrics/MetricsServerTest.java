package io.millrace.engine.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsServerTest {

  final Vertx vertx = Vertx.vertx();
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final Readiness readiness = new Readiness();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  MetricsServer server;

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    registry.close();
  }

  MetricsServer start(Supplier<Future<?>> refresh) throws Exception {
    server = MetricsServer.start(vertx, "127.0.0.1", 0, registry, refresh, readiness,
        new JsonObject().put("component", "test")).await(10, TimeUnit.SECONDS);
    return server;
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(10));
  }

  @Test
  void readyOnlyWhenEveryCheckIsReadyWithTheReasonsOfThoseThatAreNot() throws Exception {
    Readiness.Check logs = readiness.add("logs_recovered", "recovering 3 logs");
    Readiness.Check cluster = readiness.add("cluster_joined", "joining");
    start(Future::succeededFuture);
    HttpResponse<String> r = get("/ready");
    assertThat(r.statusCode()).isEqualTo(503);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("status")).isEqualTo("not_ready");
    assertThat(body.getJsonObject("checks").getJsonObject("logs_recovered").getString("reason"))
        .isEqualTo("recovering 3 logs");
    logs.ready();
    assertThat(get("/ready").statusCode()).isEqualTo(503);
    cluster.ready();
    r = get("/ready");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getJsonObject("checks").getJsonObject("cluster_joined").getBoolean("ready"))
        .isTrue();
    cluster.notReady("lost the cluster");
    assertThat(get("/ready").body()).contains("lost the cluster");
  }

  @Test
  void healthIsUpWithTheIdentity() throws Exception {
    start(Future::succeededFuture);
    JsonObject body = new JsonObject(get("/health").body());
    assertThat(body.getString("status")).isEqualTo("up");
    assertThat(body.getString("component")).isEqualTo("test");
    HttpResponse<String> head = http.send(request("/health").method("HEAD", HttpRequest.BodyPublishers.noBody())
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void scrapeRunsTheRefreshFirstAndServesItsEffect() throws Exception {
    Counter counter = Counter.builder("millrace.test.refreshes").register(registry);
    start(() -> {
      counter.increment();
      return Future.succeededFuture();
    });
    assertThat(ScrapedMetrics.parse(get("/metrics").body()).value("millrace_test_refreshes_total")).hasValue(1);
    assertThat(ScrapedMetrics.parse(get("/metrics").body()).value("millrace_test_refreshes_total")).hasValue(2);
  }

  @Test
  void aFailedRefreshStillServesTheScrape() throws Exception {
    Counter.builder("millrace.test.kept").register(registry).increment();
    start(() -> Future.failedFuture(new IllegalStateException("coordinator gone")));
    HttpResponse<String> r = get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(ScrapedMetrics.parse(r.body()).value("millrace_test_kept_total")).hasValue(1);
    start(() -> {
      throw new IllegalStateException("thrown, not failed");
    });
    assertThat(get("/metrics").statusCode()).isEqualTo(200);
  }

  @Test
  void scrapesBeyondTheBoundAreRefusedAtOnce() throws Exception {
    List<Promise<Void>> held = new ArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean holding = new java.util.concurrent.atomic.AtomicBoolean(true);
    start(() -> {
      if (!holding.get()) {
        return Future.succeededFuture();
      }
      Promise<Void> p = Promise.promise();
      synchronized (held) {
        held.add(p);
      }
      return p.future();
    });
    List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
    for (int i = 0; i < MetricsServer.MAX_CONCURRENT_SCRAPES; i++) {
      waiting.add(http.sendAsync(request("/metrics").build(), HttpResponse.BodyHandlers.ofString()));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      synchronized (held) {
        if (held.size() == MetricsServer.MAX_CONCURRENT_SCRAPES) {
          break;
        }
      }
      assertThat(System.nanoTime()).as("every scrape reached its refresh").isLessThan(deadline);
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
    }
    HttpResponse<String> refused = get("/metrics");
    assertThat(refused.statusCode()).isEqualTo(503);
    holding.set(false);
    synchronized (held) {
      held.forEach(p -> vertx.runOnContext(v -> p.complete()));
    }
    for (CompletableFuture<HttpResponse<String>> f : waiting) {
      assertThat(f.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    assertThat(get("/metrics").statusCode()).isEqualTo(200);
  }

  @Test
  void unknownPathsAndMethodsAreRefused() throws Exception {
    start(Future::succeededFuture);
    assertThat(get("/").statusCode()).isEqualTo(404);
    assertThat(get("/metrics/extra").statusCode()).isEqualTo(404);
    HttpResponse<String> put = http.send(request("/ready").PUT(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).isEqualTo(405);
  }

  @Test
  void withoutAPrometheusRegistryMetricsSaySoAndHealthStillWorks() throws Exception {
    server = MetricsServer.start(vertx, "127.0.0.1", 0, null, Future::succeededFuture, readiness, new JsonObject())
        .await(10, TimeUnit.SECONDS);
    HttpResponse<String> r = get("/metrics");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("not Prometheus");
    assertThat(get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void aPortInUseFailsNamingTheKey() throws Exception {
    start(Future::succeededFuture);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    MetricsServer.start(vertx, "127.0.0.1", server.port(), registry, Future::succeededFuture, readiness,
        new JsonObject()).onFailure(failure::set).transform(ar -> Future.succeededFuture()).await(10, TimeUnit.SECONDS);
    assertThat(failure.get()).hasMessageContaining("metrics.port").hasMessageContaining(String.valueOf(server.port()));
    assertThatThrownBy(() -> MetricsServer.start(vertx, "127.0.0.1", 70000, registry, Future::succeededFuture,
        readiness, new JsonObject())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void checkNamesAreUnique() {
    readiness.add("a", "x");
    assertThatThrownBy(() -> readiness.add("a", "y")).isInstanceOf(IllegalArgumentException.class);
    assertThat(new Readiness().isReady()).as("no checks is not ready").isFalse();
  }
}
