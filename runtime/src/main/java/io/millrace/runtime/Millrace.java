package io.millrace.runtime;

import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code millrace} launcher: one fat jar, one subcommand per job.
 *
 * <p>Each subcommand is its own picocli command class in this package (or a sub-package) and is
 * registered in {@link #commandLine()}. Exit codes: 0 for success, 1 for a failure the command
 * reports, 2 for a usage error (picocli's convention).
 */
@Command(
    name = "millrace",
    mixinStandardHelpOptions = true,
    versionProvider = MillraceVersion.class,
    description = "A streaming platform that speaks the Apache Kafka protocol.",
    subcommandsRepeatable = false)
public final class Millrace implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    installLogBridges();
    System.exit(commandLine().execute(args));
  }

  /** The command line with every subcommand registered; tests run tools through this too. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Millrace());
    // Subcommands register here, one line each.
    cl.addSubcommand(new BrokerCommand());
    cl.addSubcommand(new ConnectCommand());
    cl.addSubcommand(new io.millrace.runtime.tools.topics.TopicsCommand());
    cl.addSubcommand(new io.millrace.runtime.tools.console.ConsoleProducerCommand());
    cl.addSubcommand(new io.millrace.runtime.tools.console.ConsoleConsumerCommand());
    cl.addSubcommand(new io.millrace.runtime.tools.groups.ConsumerGroupsCommand());
    cl.addSubcommand(new io.millrace.runtime.tools.configs.ConfigsCommand());
    cl.addSubcommand(new io.millrace.runtime.tools.perf.PerfCommand());
    cl.addSubcommand(new io.millrace.runtime.streams.StreamsCommand());
    cl.addSubcommand(new WarmUpCommand());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Routes java.util.logging (Vert.x internals, some JDK parts) into SLF4J and so into Log4j 2. */
  static void installLogBridges() {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
    System.setProperty("hazelcast.logging.type", "slf4j");
  }
}
