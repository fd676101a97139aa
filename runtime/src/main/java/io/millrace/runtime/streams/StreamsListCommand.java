package io.millrace.runtime.streams;

import io.millrace.runtime.tools.ToolCommand;
import io.millrace.runtime.tools.ToolVersion;
import io.millrace.streams.StreamsApplication;
import io.millrace.streams.StreamsConfig;
import picocli.CommandLine.Command;

/** {@code millrace streams list}: the samples {@code streams run} knows by name. */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = ToolVersion.class,
    description = "List the sample topologies (name, application.id, class).")
public final class StreamsListCommand extends ToolCommand {

  @Override
  protected int run() {
    for (var e : StreamsApplications.SAMPLES.entrySet()) {
      StreamsApplication app = StreamsApplications.load(e.getKey(), getClass().getClassLoader());
      Object id = app.defaults().get(StreamsConfig.APPLICATION_ID_CONFIG);
      out().println(e.getKey() + "\t" + id + "\t" + e.getValue());
    }
    return 0;
  }
}
