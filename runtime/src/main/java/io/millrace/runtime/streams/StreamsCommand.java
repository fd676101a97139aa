package io.millrace.runtime.streams;

import io.millrace.runtime.tools.ToolVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code millrace streams run|describe|list|reset}: runs a streams application (a sample by
 * name, or any {@link io.millrace.streams.StreamsApplication} or topology class by class name),
 * prints a topology, lists the samples, or resets an application to reprocess its input.
 */
@Command(name = "streams", mixinStandardHelpOptions = true, versionProvider = ToolVersion.class,
    description = "Run a streams topology (a sample, or any topology class on the class path), "
        + "print one, list the samples, or reset an application to reprocess its input.",
    subcommands = {StreamsRunCommand.class, StreamsDescribeCommand.class, StreamsListCommand.class,
        StreamsResetCommand.class})
public final class StreamsCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
