package io.millrace.engine.metadata;

import java.util.Objects;

/** Where clients reach a broker on one listener: {@code NAME://host:port}. */
public record Endpoint(String listenerName, String host, int port) {
  public Endpoint {
    Objects.requireNonNull(listenerName, "listenerName");
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside 0..65535");
    }
  }

  @Override
  public String toString() {
    return listenerName + "://" + host + ":" + port;
  }
}
