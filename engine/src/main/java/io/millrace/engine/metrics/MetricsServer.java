package io.millrace.engine.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitoring endpoint of a Millrace process ({@code metrics.port}, 9644 for a broker):
 *
 * <pre>
 *   GET /metrics   the Prometheus registry, text format 0.0.4 (OpenMetrics 1.0 if the Accept header asks)
 *   GET /health    200 {"status":"up", ...identity}: the process is alive and answering
 *   GET /ready     200 {"status":"ready","checks":{...}} or 503 {"status":"not_ready","checks":{...}}
 * </pre>
 *
 * <p>Threading: requests arrive on a Vert.x event loop. A scrape first runs the caller's refresh
 * (values computed on demand, such as consumer lag, which completes asynchronously) and then
 * serialises the registry on a worker thread, never on the event loop. At most
 * {@link #MAX_CONCURRENT_SCRAPES} scrapes run at once; more get 503 at once.
 */
public final class MetricsServer {

  private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);

  /** Scrapes serialised at the same time; Prometheus sends one per target and interval. */
  public static final int MAX_CONCURRENT_SCRAPES = 4;

  static final String TEXT_004 = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPENMETRICS_100 = "application/openmetrics-text; version=1.0.0; charset=utf-8";
  private static final String JSON = "application/json";

  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final Supplier<Future<?>> refresh;
  private final Readiness readiness;
  private final JsonObject identity;
  private final AtomicInteger scrapes = new AtomicInteger();
  private HttpServer server;

  private MetricsServer(Vertx vertx, PrometheusMeterRegistry registry, Supplier<Future<?>> refresh,
      Readiness readiness, JsonObject identity) {
    this.vertx = vertx;
    this.registry = registry;
    this.refresh = refresh;
    this.readiness = readiness;
    this.identity = identity.copy();
  }

  /**
   * Starts the endpoint on {@code host:port} (0: a free port).
   *
   * @param registry what {@code /metrics} serves; null when the metrics go to a registry that is
   *     not Prometheus's (then {@code /metrics} answers 404 and says so)
   * @param refresh run before each scrape; its failure is logged and the scrape goes on
   * @param identity fields added to the {@code /health} body ({@code component}, {@code node_id})
   * @return completes once listening; fails when the port cannot be bound
   */
  public static Future<MetricsServer> start(Vertx vertx, String host, int port, PrometheusMeterRegistry registry,
      Supplier<Future<?>> refresh, Readiness readiness, JsonObject identity) {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(refresh, "refresh");
    Objects.requireNonNull(readiness, "readiness");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("metrics port " + port + " is not in 0..65535");
    }
    MetricsServer endpoint = new MetricsServer(vertx, registry, refresh, readiness, identity);
    HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port).setReuseAddress(true)
        .setMaxInitialLineLength(4096).setMaxHeaderSize(16384).setIdleTimeout(60);
    return vertx.createHttpServer(options).requestHandler(endpoint::handle).listen()
        .map(s -> {
          endpoint.server = s;
          log.info("Metrics, health and readiness at http://{}:{}/metrics, /health, /ready", host, s.actualPort());
          return endpoint;
        })
        .recover(e -> Future.failedFuture(new IllegalStateException(
            "cannot serve metrics on " + host + ":" + port + " (metrics.port): " + e.getMessage(), e)));
  }

  /** The bound port. */
  public int port() {
    return server.actualPort();
  }

  /** Stops listening; open scrapes are cut off. */
  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest request) {
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      respond(request, 405, JSON, json("error", "only GET and HEAD are served").toBuffer());
      return;
    }
    switch (request.path()) {
      case "/metrics" -> scrape(request);
      case "/health" -> respond(request, 200, JSON, identity.copy().put("status", "up").toBuffer());
      case "/ready" -> ready(request);
      default -> respond(request, 404, JSON,
          json("error", "no such path; try /metrics, /health or /ready").toBuffer());
    }
  }

  private void ready(HttpServerRequest request) {
    JsonObject checks = new JsonObject();
    for (Readiness.Check c : readiness.checks()) {
      JsonObject check = new JsonObject().put("ready", c.isReady());
      String reason = c.reason();
      if (reason != null) {
        check.put("reason", reason);
      }
      checks.put(c.name(), check);
    }
    boolean ready = readiness.isReady();
    JsonObject body = new JsonObject().put("status", ready ? "ready" : "not_ready").put("checks", checks);
    respond(request, ready ? 200 : 503, JSON, body.toBuffer());
  }

  private void scrape(HttpServerRequest request) {
    if (registry == null) {
      respond(request, 404, JSON, json("error",
          "metrics go to a registry that is not Prometheus's; scrape them where that registry is served").toBuffer());
      return;
    }
    if (scrapes.incrementAndGet() > MAX_CONCURRENT_SCRAPES) {
      scrapes.decrementAndGet();
      respond(request, 503, JSON, json("error", MAX_CONCURRENT_SCRAPES + " scrapes are running already").toBuffer());
      return;
    }
    String accept = request.getHeader(HttpHeaders.ACCEPT);
    String contentType = accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS_100 : TEXT_004;
    Future<?> refreshed;
    try {
      refreshed = refresh.get();
    } catch (RuntimeException e) {
      refreshed = Future.failedFuture(e);
    }
    refreshed
        .recover(e -> {
          log.warn("Refreshing metrics before a scrape failed; serving the values as they are", e);
          return Future.succeededFuture();
        })
        .compose(v -> vertx.executeBlocking(() -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
          registry.scrape(out, contentType);
          return Buffer.buffer(out.toByteArray());
        }, false))
        .onComplete(ar -> {
          scrapes.decrementAndGet();
          if (ar.succeeded()) {
            respond(request, 200, contentType, ar.result());
          } else {
            log.error("Scraping the metrics failed", ar.cause());
            respond(request, 500, JSON, json("error", "scrape failed: " + ar.cause()).toBuffer());
          }
        });
  }

  private static void respond(HttpServerRequest request, int status, String contentType, Buffer body) {
    request.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, contentType)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    if (request.method() == HttpMethod.HEAD) {
      request.response().putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length())).end();
    } else {
      request.response().end(body);
    }
  }

  private static JsonObject json(String key, String value) {
    return new JsonObject().put(key, value);
  }
}
