package io.millrace.runtime;

import io.millrace.connect.ConnectWorker;
import io.millrace.connect.WorkerConfig;
import io.millrace.engine.metrics.MetricsConfig;
import io.millrace.engine.metrics.Readiness;
import io.millrace.runtime.metrics.ProcessMonitoring;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code millrace connect [--config FILE] [--override key=value ...]}: runs a connect worker
 * (REST API on {@code rest.port}, 8083 by default) until SIGTERM or SIGINT, then stops it
 * cleanly (tasks commit their offsets). {@code millrace connect deploy FILE.json} deploys a
 * connector config through a worker's REST API. Exit code 1 with the reason when the worker
 * cannot start (a bad value names its key), 2 for a usage error.
 *
 * <p>Monitoring: {@code /metrics}, {@code /health} and {@code /ready} (ready once the worker has
 * started) on {@code metrics.port}, 9645 by default; the worker's series and the JVM's go there.
 */
@Command(name = "connect", mixinStandardHelpOptions = true,
    subcommands = ConnectDeployCommand.class,
    description = "Run a connect worker (keys: see config/connect.properties), or deploy a "
        + "connector to one.")
public final class ConnectCommand implements Callable<Integer> {

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "A connect.properties file (see config/connect.properties).")
  Path configFile;

  @Option(names = "--override", paramLabel = "KEY=VALUE",
      description = "Sets one key, over the file; repeatable.")
  List<String> overrides = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Map<String, String> props;
    try {
      props = BrokerCommand.properties(configFile, overrides);
    } catch (IllegalArgumentException | java.io.IOException e) {
      System.err.println("millrace connect: " + e.getMessage());
      return 2;
    }
    MetricsConfig metricsConfig;
    try {
      WorkerConfig config = new WorkerConfig(props);
      metricsConfig = MetricsConfig.withDefaultPort(WorkerConfig.DEFAULT_METRICS_PORT, Map.of(
          MetricsConfig.METRICS_PORT, config.getInt(WorkerConfig.METRICS_PORT),
          MetricsConfig.METRICS_HOST, config.getString(WorkerConfig.METRICS_HOST)));
    } catch (ConfigException e) {
      System.err.println("millrace connect: invalid configuration: " + e.getMessage());
      return 1;
    }
    ProcessMonitoring monitoring;
    try {
      monitoring = ProcessMonitoring.start("connect", metricsConfig);
    } catch (IllegalStateException e) {
      System.err.println("millrace connect: cannot start: " + e.getMessage());
      return 1;
    }
    Readiness.Check started = monitoring.readiness().add("worker_started", "the worker is starting");
    ConnectWorker worker;
    try {
      worker = ConnectWorker.start(props, monitoring.registry());
    } catch (ConfigException e) {
      monitoring.close();
      System.err.println("millrace connect: invalid configuration: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      monitoring.close();
      System.err.println("millrace connect: cannot start: " + e.getMessage());
      return 1;
    }
    started.ready();
    System.out.println("millrace connect: worker " + worker.herder().workerId()
        + " ready, REST API at " + worker.restUrl()
        + (monitoring.port() < 0 ? "" : ", metrics at http://localhost:" + monitoring.port() + "/metrics"));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      started.notReady("the worker is stopping");
      worker.close();
      monitoring.close();
      stopped.countDown();
    }, "millrace-shutdown"));
    stopped.await();
    return 0;
  }
}
