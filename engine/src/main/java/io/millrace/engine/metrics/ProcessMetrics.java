package io.millrace.engine.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmCompilationMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * JVM, process and Vert.x series, under their usual names ({@code jvm_*}, {@code process_*},
 * {@code system_*}, {@code vertx_*}) so that standard dashboards and alerts work unchanged.
 *
 * <p>JVM binders listen to GC notifications: binding them twice to one registry would count every
 * pause twice, so {@link #bindTo} binds a registry once, whoever asks. Thread-safe.
 */
public final class ProcessMetrics {

  private static final Map<MeterRegistry, AutoCloseable[]> BOUND = new WeakHashMap<>();

  private ProcessMetrics() {}

  /** A Prometheus registry with the JVM and process series bound. */
  public static io.micrometer.prometheusmetrics.PrometheusMeterRegistry newPrometheusRegistry() {
    io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry =
        new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    bindTo(registry);
    return registry;
  }

  /** Binds the JVM and process series to {@code registry}, once per registry. */
  public static void bindTo(MeterRegistry registry) {
    synchronized (BOUND) {
      if (BOUND.containsKey(registry)) {
        return;
      }
      JvmGcMetrics gc = new JvmGcMetrics();
      JvmHeapPressureMetrics heapPressure = new JvmHeapPressureMetrics();
      new ClassLoaderMetrics().bindTo(registry);
      new JvmMemoryMetrics().bindTo(registry);
      gc.bindTo(registry);
      heapPressure.bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new JvmInfoMetrics().bindTo(registry);
      new JvmCompilationMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      new UptimeMetrics().bindTo(registry);
      new FileDescriptorMetrics().bindTo(registry);
      BOUND.put(registry, new AutoCloseable[] {gc, heapPressure});
    }
  }

  /** Stops the GC listeners bound to {@code registry} (before the registry is closed). */
  public static void unbind(MeterRegistry registry) {
    AutoCloseable[] closeables;
    synchronized (BOUND) {
      closeables = BOUND.remove(registry);
    }
    if (closeables != null) {
      for (AutoCloseable c : closeables) {
        try {
          c.close();
        } catch (Exception e) {
          // Only listener deregistration; nothing to recover.
        }
      }
    }
  }

  /**
   * Vert.x options with Micrometer metrics on (worker pools, HTTP and net clients, event bus,
   * verticles), for a Vert.x instance built with {@link #vertxMetrics}. Remote addresses are
   * not labels, so the series stay few whatever the number of clients.
   */
  public static VertxOptions withVertxMetrics(VertxOptions options) {
    return options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
        .setJvmMetricsEnabled(false)
        // The Kafka listeners have their own, finer series (millrace_network_*); Vert.x's would
        // double the work on every read and write. The only HTTP server is the metrics endpoint.
        .addDisabledMetricsCategory(MetricsDomain.NET_SERVER)
        .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
        .addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET));
  }

  /** The factory that sends a Vert.x instance's metrics to {@code registry}. */
  public static VertxMetricsFactory vertxMetrics(MeterRegistry registry) {
    return new MicrometerMetricsFactory(registry);
  }
}
