package io.millrace.runtime.streams;

import io.millrace.runtime.tools.ToolCommand;
import io.millrace.runtime.tools.ToolException;
import io.millrace.runtime.tools.ToolVersion;
import io.millrace.streams.MillraceStreams;
import io.millrace.streams.StreamsApplication;
import io.millrace.streams.StreamsConfig;
import io.millrace.streams.Topology;
import io.millrace.streams.errors.StreamsUncaughtExceptionHandler;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = ToolVersion.class,
    description = "Run a streams application until stopped (Ctrl-C).")
public final class StreamsRunCommand extends ToolCommand {

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
    Topology topology = app.topology(props);
    MillraceStreams streams;
    try {
      streams = new MillraceStreams(topology, props);
    } catch (ConfigException e) {
      throw new ToolException("invalid configuration: " + e.getMessage());
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
