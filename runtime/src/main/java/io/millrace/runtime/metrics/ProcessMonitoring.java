package io.millrace.runtime.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.millrace.engine.metrics.MetricsConfig;
import io.millrace.engine.metrics.MetricsServer;
import io.millrace.engine.metrics.ProcessMetrics;
import io.millrace.engine.metrics.Readiness;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitoring of a runtime process that is not a broker (a connect worker, a streams
 * application): a Prometheus registry with the JVM and process series, readiness checks, and
 * the {@code /metrics}, {@code /health}, {@code /ready} endpoint on {@code metrics.port}, served
 * by a small Vert.x instance of its own (one event loop; scrapes run on its workers).
 *
 * <p>Thread-safe. {@link #close()} stops the endpoint and closes the registry.
 */
public final class ProcessMonitoring implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ProcessMonitoring.class);

  private final PrometheusMeterRegistry registry = ProcessMetrics.newPrometheusRegistry();
  private final Readiness readiness = new Readiness();
  private final Vertx vertx;
  private final MetricsServer server;

  private ProcessMonitoring(MetricsConfig config, JsonObject identity) {
    if (config.port() < 0) {
      vertx = null;
      server = null;
      return;
    }
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2)
        .setPreferNativeTransport(false));
    try {
      server = MetricsServer.start(vertx, config.host(), config.port(), registry, Future::succeededFuture,
          readiness, identity).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      close();
      Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
      throw new IllegalStateException(cause.getMessage(), cause);
    }
  }

  /**
   * Starts the endpoint ({@code metrics.port} -1: no endpoint, the registry is still kept).
   *
   * @param component what {@code /health} calls the process ({@code connect}, {@code streams})
   * @throws IllegalStateException when the port cannot be bound (the message names {@code metrics.port})
   */
  public static ProcessMonitoring start(String component, MetricsConfig config) {
    return new ProcessMonitoring(config, new JsonObject().put("component", component));
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public Readiness readiness() {
    return readiness;
  }

  /** The endpoint's port, or -1 when it is off. */
  public int port() {
    return server == null ? -1 : server.port();
  }

  @Override
  public void close() {
    if (vertx != null) {
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("Closing the metrics endpoint failed", e);
      }
    }
    ProcessMetrics.unbind(registry);
    registry.close();
  }
}
