package io.millrace.engine.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigException;

/**
 * One entry of {@code listeners} or {@code advertised.listeners}: {@code NAME://host:port}. An
 * empty host means every interface ({@code 0.0.0.0}); IPv6 hosts go in brackets.
 */
public record ListenerSpec(String name, String host, int port) {

  private static final Pattern FORMAT = Pattern.compile("^([A-Za-z0-9_]+)://(\\[[0-9a-fA-F:.]+\\]|[^:\\[\\]]*):(-?[0-9]+)$");

  /** True for a host that binds every interface. */
  public boolean wildcard() {
    return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }

  /** The host to bind: {@code 0.0.0.0} for an empty host, brackets removed. */
  public String bindHost() {
    if (host.isEmpty()) {
      return "0.0.0.0";
    }
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  @Override
  public String toString() {
    return name + "://" + host + ":" + port;
  }

  /**
   * Parses a comma-separated list.
   *
   * @throws ConfigException naming {@code key} for a malformed entry, a port outside 0..65535 or
   *     a listener name used twice
   */
  public static List<ListenerSpec> parseList(String key, String value) {
    List<ListenerSpec> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    if (value == null || value.isBlank()) {
      return out;
    }
    for (String part : value.split(",")) {
      String entry = part.trim();
      Matcher m = FORMAT.matcher(entry);
      if (!m.matches()) {
        throw new ConfigException(key, value, "'" + entry + "' is not of the form NAME://host:port");
      }
      int port;
      try {
        port = Integer.parseInt(m.group(3));
      } catch (NumberFormatException e) {
        throw new ConfigException(key, value, "port of '" + entry + "' is not a number");
      }
      if (port < 0 || port > 65535) {
        throw new ConfigException(key, value, "port " + port + " of '" + entry + "' is outside 0..65535");
      }
      String name = m.group(1).toUpperCase(Locale.ROOT);
      if (!names.add(name)) {
        throw new ConfigException(key, value, "listener name " + name + " is used more than once");
      }
      out.add(new ListenerSpec(name, m.group(2), port));
    }
    return out;
  }
}
