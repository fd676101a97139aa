package io.millrace.runtime;

import picocli.CommandLine.IVersionProvider;

/** The version printed by {@code millrace --version}, read from the jar's manifest. */
final class MillraceVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Millrace.class.getPackage().getImplementationVersion();
    return new String[] {"Millrace " + (v == null ? "(development build)" : v)};
  }
}
