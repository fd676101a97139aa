package io.millrace.runtime.streams;

import io.millrace.engine.metrics.MetricsConfig;
import io.millrace.engine.metrics.Readiness;
import io.millrace.runtime.metrics.ProcessMonitoring;
import io.millrace.runtime.tools.ToolCommand;
import io.millrace.runtime.tools.ToolException;
import io.millrace.runtime.tools.ToolVersion;
import io.millrace.streams.MillraceStreams;
import io.millrace.streams.StreamsApplication;
import io.millrace.streams.StreamsConfig;
import io.millrace.streams.StreamsMeterBinder;
import io.millrace.streams.Topology;
import io.millrace.streams.errors.StreamsUncaughtExceptionHandler;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code millrace streams run NAME --bootstrap-server HOST:PORT}: runs a streams application
 * until SIGTERM or SIGINT, then closes it (commit, leave the group) and exits 0. If it fails
 * (a thread dies; by default the instance then shuts down) it exits 1 with the reason.
 *
 * <p>Configuration, later over earlier: the application's defaults, {@code --config-file},
 * {@code --config KEY=VALUE}, then the dedicated flags.
 *
 * <p>Monitoring: {@code /metrics}, {@code /health} and {@code /ready} (ready while the application
 * runs) on {@code metrics.port} (default {@value #DEFAULT_METRICS_PORT}; -1 turns it off), set like
 * any other setting ({@code --config metrics.port=9650}).
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = ToolVersion.class,
    description = "Run a streams application until stopped (Ctrl-C).")
public final class StreamsRunCommand extends ToolCommand {

  /** Beside a broker's 9644 and a connect worker's 9645 on the same machine. */
  public static final int DEFAULT_METRICS_PORT = 9646;

  @Parameters(index = "0", paramLabel = "NAME",
      description = "A sample (WordCount, ClicksPerUserPerMinute, OrderEnrichment) or the full name of a "
          + "StreamsApplication class, or of a class with a static topology() method.")
  String name;

  @Option(names = "--bootstrap-server", required = true, paramLabel = "HOST:PORT",
      description = "The broker(s) to connect to.")
  String bootstrapServer;

  @Option(names = "--application-id", paramLabel = "ID", description = "Overrides the application's id.")
  String applicationId;

  @Option(names = "--state-dir", paramLabel = "DIR", description = "Where local state lives (state.dir).")
  Path stateDir;

  @Option(names = "--threads", paramLabel = "N", description = "Stream threads (num.stream.threads).")
  Integer threads;

  @Option(names = "--config", paramLabel = "KEY=VALUE",
      description = "Any streams or client setting; repeatable.")
  List<String> configs = new ArrayList<>();

  @Option(names = "--config-file", paramLabel = "FILE", description = "A properties file of settings.")
  Path configFile;

  @Option(names = "--class-path", paramLabel = "PATHS",
      description = "Extra jars or directories to load the class from (separated by '${sys:path.separator}').")
  String classPath;

  @Override
  protected String bootstrapServersForMessages() {
    return bootstrapServer;
  }

  @Override
  protected int run() throws Exception {
    ClassLoader loader = StreamsApplications.loader(classPath);
    Thread.currentThread().setContextClassLoader(loader);
    StreamsApplication app = StreamsApplications.load(name, loader);
    Properties props = configuration(app);
    MetricsConfig metricsConfig = metricsConfig(props);
    Topology topology = app.topology(props);
    MillraceStreams streams;
    try {
      streams = new MillraceStreams(topology, props);
    } catch (ConfigException e) {
      throw new ToolException("invalid configuration: " + e.getMessage());
    }
    ProcessMonitoring monitoring;
    try {
      monitoring = ProcessMonitoring.start("streams", metricsConfig);
    } catch (IllegalStateException e) {
      streams.close();
      throw new ToolException(e.getMessage());
    }
    try {
      return run(streams, props, monitoring);
    } finally {
      monitoring.close();
    }
  }

  private int run(MillraceStreams streams, Properties props, ProcessMonitoring monitoring) throws Exception {
    new StreamsMeterBinder(streams).bindTo(monitoring.registry());
    Readiness.Check running = monitoring.readiness().add("streams_running", "the application has not started");
    if (monitoring.port() >= 0) {
      err().println("millrace streams: metrics at http://localhost:" + monitoring.port() + "/metrics");
    }
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch ended = new CountDownLatch(1);
    String id = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
    streams.setUncaughtExceptionHandler(e -> {
      failure.compareAndSet(null, e);
      return StreamsUncaughtExceptionHandler.Response.SHUTDOWN_CLIENT;
    });
    streams.setStateListener((now, before) -> {
      err().println("millrace streams: " + name + " (application.id " + id + ") " + now);
      if (now == MillraceStreams.State.RUNNING) {
        running.ready();
      } else if (now != MillraceStreams.State.REBALANCING || !running.isReady()) {
        // A rebalance of a running application keeps it ready: its tasks come back.
        running.notReady("the application is " + now);
      }
      if (now == MillraceStreams.State.NOT_RUNNING || now == MillraceStreams.State.ERROR) {
        ended.countDown();
      }
    });
    Thread hook = new Thread(() -> {
      streams.close();
      ended.countDown();
    }, "millrace-streams-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    streams.start();
    ended.await();
    if (streams.state() == MillraceStreams.State.ERROR) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // already exiting
      }
      Throwable t = failure.get();
      throw new ToolException("the application failed: " + (t == null ? "see the log" : t.getMessage()));
    }
    return 0;
  }

  /**
   * The {@code metrics.*} keys of the endpoint, taken out of the streams settings.
   *
   * @throws ToolException naming the key when a value is invalid
   */
  static MetricsConfig metricsConfig(Properties props) {
    Map<String, Object> keys = new HashMap<>();
    for (String key : MetricsConfig.CONFIG_DEF.names()) {
      Object v = props.remove(key);
      if (v != null) {
        keys.put(key, v);
      }
    }
    try {
      return MetricsConfig.withDefaultPort(DEFAULT_METRICS_PORT, keys);
    } catch (ConfigException e) {
      throw new ToolException("invalid configuration: " + e.getMessage());
    }
  }

  private Properties configuration(StreamsApplication app) {
    Properties props = new Properties();
    props.putAll(app.defaults());
    if (configFile != null) {
      try (Reader r = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
        props.load(r);
      } catch (IOException e) {
        throw new ToolException("cannot read --config-file " + configFile + ": " + e.getMessage());
      }
    }
    for (String kv : configs) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw usageError("--config expects KEY=VALUE, got '" + kv + "'");
      }
      props.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
    }
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer);
    if (applicationId != null) {
      props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    }
    if (stateDir != null) {
      props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    }
    if (threads != null) {
      props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads.toString());
    }
    if (!props.containsKey(StreamsConfig.APPLICATION_ID_CONFIG)) {
      throw usageError(name + " sets no application.id: give one with --application-id");
    }
    return props;
  }
}
