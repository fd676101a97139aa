package io.millrace.runtime.tools;

import picocli.CommandLine.IVersionProvider;

/** {@code --version} of every tool: the Millrace version and the Kafka client version it speaks. */
public final class ToolVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = ToolVersion.class.getPackage().getImplementationVersion();
    return new String[] {
      "Millrace " + (v == null ? "(development build)" : v)
          + " (Kafka clients " + org.apache.kafka.common.utils.internals.AppInfoParser.getVersion() + ")"
    };
  }
}
