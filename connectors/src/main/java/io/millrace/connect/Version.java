package io.millrace.connect;

/** The version the built-in connectors report. */
public final class Version {
  private Version() {}

  public static String get() {
    Package p = Version.class.getPackage();
    String v = p == null ? null : p.getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }
}
