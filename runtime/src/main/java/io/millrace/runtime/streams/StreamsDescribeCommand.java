package io.millrace.runtime.streams;

import io.millrace.runtime.tools.ToolCommand;
import io.millrace.runtime.tools.ToolVersion;
import io.millrace.streams.StreamsApplication;
import io.millrace.streams.TopologyDescription;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code millrace streams describe NAME [--format text|mermaid|dot]}: prints a topology. */
@Command(name = "describe", mixinStandardHelpOptions = true, versionProvider = ToolVersion.class,
    description = "Print a topology: its sub-topologies, nodes, stores and topics.")
public final class StreamsDescribeCommand extends ToolCommand {

  /** Output formats. */
  enum Format { text, mermaid, dot }

  @Parameters(index = "0", paramLabel = "NAME", description = "A sample's name or a topology class's name.")
  String name;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
      description = "text (as Kafka Streams prints it), mermaid or dot (Graphviz). Default: ${DEFAULT-VALUE}.")
  Format format;

  @Option(names = "--class-path", paramLabel = "PATHS",
      description = "Extra jars or directories to load the class from (separated by '${sys:path.separator}').")
  String classPath;

  @Override
  protected int run() {
    StreamsApplication app = StreamsApplications.load(name, StreamsApplications.loader(classPath));
    Properties config = app.defaults();
    TopologyDescription d = app.topology(config).describe();
    out().print(switch (format) {
      case text -> d.toString();
      case mermaid -> d.toMermaid();
      case dot -> d.toDot();
    });
    return 0;
  }
}
