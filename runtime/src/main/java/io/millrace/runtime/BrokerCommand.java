package io.millrace.runtime;

import io.millrace.engine.Broker;
import io.millrace.engine.config.BrokerConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code millrace broker [--config FILE] [--override key=value ...]}: runs a broker until SIGTERM
 * or SIGINT, then stops it cleanly (logs flushed, checkpoints written, so the next start does not
 * rescan). With no arguments: one node on 0.0.0.0:9092, advertised as localhost:9092, data in
 * ./data. With {@code --cluster}, a member of a replicated cluster ({@code cluster.*} keys). Exit
 * code 1 with the reason when the broker cannot start (a bad value names its key).
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
    description = "Run a Kafka-protocol broker (Kafka's server.properties names).")
public final class BrokerCommand implements Callable<Integer> {

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "A server.properties file (Kafka's key names; see config/server.properties).")
  Path configFile;

  @Option(names = "--override", paramLabel = "KEY=VALUE",
      description = "Sets one key, over the file; repeatable.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--cluster",
      description = "Join a cluster (cluster.enabled=true): set cluster.join, cluster.host and cluster.port"
          + " with --override or in the file.")
  boolean cluster;

  @Override
  public Integer call() throws Exception {
    Map<String, String> props;
    try {
      props = properties(configFile, overrides);
      if (cluster) {
        props.put("cluster.enabled", "true");
      }
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("millrace broker: " + e.getMessage());
      return 2;
    }
    Broker broker;
    try {
      broker = Broker.start(new BrokerConfig(props));
    } catch (ConfigException e) {
      System.err.println("millrace broker: invalid configuration: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      System.err.println("millrace broker: cannot start: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      broker.close();
      stopped.countDown();
    }, "millrace-shutdown"));
    stopped.await();
    return 0;
  }

  /** The file's properties with the overrides on top. */
  static Map<String, String> properties(Path file, List<String> overrides) throws IOException {
    Map<String, String> props = new LinkedHashMap<>();
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("config file " + file + " does not exist");
      }
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      }
      p.stringPropertyNames().forEach(k -> props.put(k, p.getProperty(k).trim()));
    }
    for (String o : overrides) {
      int eq = o.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--override '" + o + "' is not of the form key=value");
      }
      props.put(o.substring(0, eq).trim(), o.substring(eq + 1).trim());
    }
    return props;
  }
}
