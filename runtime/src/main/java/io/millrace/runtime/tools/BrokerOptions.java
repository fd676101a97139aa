package io.millrace.runtime.tools;

import java.io.PrintStream;
import picocli.CommandLine.Option;

/**
 * {@code --bootstrap-server} (default {@code localhost:9092}) and the {@code --zookeeper} flag of
 * older Kafka tools, which is accepted with a notice and otherwise ignored: Millrace has no
 * ZooKeeper, so scripts written for Kafka 2.x still run.
 */
public final class BrokerOptions {

  public static final String DEFAULT_BOOTSTRAP = "localhost:9092";

  @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT[,HOST:PORT...]",
      description = "The broker(s) to connect to (default: ${DEFAULT-VALUE}).", defaultValue = DEFAULT_BOOTSTRAP)
  String bootstrapServer = DEFAULT_BOOTSTRAP;

  @Option(names = "--zookeeper", paramLabel = "HOST:PORT",
      description = "Accepted for scripts written for older Kafka and ignored: Millrace needs no ZooKeeper.")
  String zookeeper;

  /** The servers to connect to; prints the ZooKeeper notice first when {@code --zookeeper} was given. */
  public String bootstrapServers(PrintStream err) {
    if (zookeeper != null) {
      err.println("Note: Millrace needs no ZooKeeper; ignoring --zookeeper " + zookeeper
          + " and connecting to --bootstrap-server " + bootstrapServer + ".");
      zookeeper = null;
    }
    return bootstrapServer;
  }

  /** The servers, without the notice (for error messages). */
  public String bootstrapServers() {
    return bootstrapServer;
  }

  /** Sets the servers (for tools with older aliases such as {@code --broker-list}). */
  public void bootstrapServers(String servers) {
    this.bootstrapServer = servers;
  }
}
