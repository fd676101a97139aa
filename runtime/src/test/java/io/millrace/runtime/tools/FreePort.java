package io.millrace.runtime.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Addresses where nothing listens, for the unreachable-broker tests. */
public final class FreePort {

  private FreePort() {}

  /** {@code 127.0.0.1:port} of a port that was free a moment ago (bound, then closed). */
  public static String closedAddress() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
