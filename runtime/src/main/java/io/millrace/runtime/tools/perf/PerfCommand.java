package io.millrace.runtime.tools.perf;

import io.millrace.runtime.tools.ToolVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code millrace perf producer|consumer}: Kafka's producer and consumer performance tools. */
@Command(name = "perf", mixinStandardHelpOptions = true, versionProvider = ToolVersion.class,
    description = "Measure throughput and latency with a producer or a consumer (Kafka's perf-test tools).",
    subcommands = {ProducerPerfCommand.class, ConsumerPerfCommand.class})
public final class PerfCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
