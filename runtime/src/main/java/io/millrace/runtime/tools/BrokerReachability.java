package io.millrace.runtime.tools;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Utils;

/**
 * A quick TCP check of the bootstrap servers before a tool starts a Kafka client. Without it, a
 * client facing a stopped broker retries quietly until its timeout and then reports only
 * "timed out"; with it, the user learns at once that nothing listens at that address, or that the
 * host name does not resolve.
 */
public final class BrokerReachability {

  private BrokerReachability() {}

  /**
   * Returns when at least one bootstrap address accepts a TCP connection within the timeout.
   *
   * @throws ToolException naming the addresses and why none could be reached
   */
  public static void check(String bootstrapServers, int connectTimeoutMs) {
    List<String> problems = new ArrayList<>();
    List<String> entries = entries(bootstrapServers);
    for (String entry : entries) {
      String host = Utils.getHost(entry);
      Integer port = Utils.getPort(entry);
      if (host == null || port == null) {
        throw new ToolException("invalid bootstrap server '" + entry + "': expected HOST:PORT");
      }
      InetAddress[] addresses;
      try {
        addresses = InetAddress.getAllByName(host);
      } catch (UnknownHostException e) {
        problems.add(entry + ": unknown host");
        continue;
      }
      for (InetAddress address : addresses) {
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress(address, port), connectTimeoutMs);
          return;
        } catch (IOException e) {
          problems.add(entry + " (" + address.getHostAddress() + "): " + reason(e));
        }
      }
    }
    throw new ToolException("cannot connect to the broker at " + bootstrapServers + " ("
        + String.join("; ", problems) + "). Is it running? Give its address with --bootstrap-server HOST:PORT.");
  }

  private static List<String> entries(String bootstrapServers) {
    List<String> entries = new ArrayList<>();
    for (String s : bootstrapServers.split(",")) {
      if (!s.isBlank()) {
        entries.add(s.trim());
      }
    }
    if (entries.isEmpty()) {
      throw new ToolException("no bootstrap server given: use --bootstrap-server HOST:PORT");
    }
    return entries;
  }

  private static String reason(IOException e) {
    String m = e.getMessage();
    if (m == null) {
      return e.getClass().getSimpleName();
    }
    int paren = m.indexOf(" (");
    return (paren > 0 ? m.substring(0, paren) : m).toLowerCase(java.util.Locale.ROOT);
  }
}
