package io.millrace.engine.protocol;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Identifies a client connection: what a handler may need to know about the peer.
 *
 * @param connectionId unique within the broker's lifetime, {@code local-remote-serial}
 * @param listenerName the name of the listener the connection came in on ({@code PLAINTEXT})
 * @param remoteAddress the client's address
 */
public record ConnectionInfo(String connectionId, String listenerName, InetSocketAddress remoteAddress) {
  public ConnectionInfo {
    Objects.requireNonNull(connectionId, "connectionId");
    Objects.requireNonNull(listenerName, "listenerName");
  }
}
