package io.millrace.engine.network;

/**
 * The bounds a listener enforces.
 *
 * @param maxFrameBytes largest request frame accepted ({@code socket.request.max.bytes}); a bigger
 *     one closes the connection
 * @param maxConnections connections open at once across all listeners ({@code max.connections});
 *     one more is closed at once
 * @param maxInFlightPerConnection requests read but not yet answered on one connection
 *     ({@code queued.max.requests}); at the bound the connection stops reading until one is answered
 * @param idleTimeoutMs a connection with no traffic for this long is closed
 *     ({@code connections.max.idle.ms})
 * @param sendBufferBytes {@code SO_SNDBUF}, or -1 for the OS default ({@code socket.send.buffer.bytes})
 * @param receiveBufferBytes {@code SO_RCVBUF}, or -1 for the OS default ({@code socket.receive.buffer.bytes})
 */
public record NetworkLimits(
    int maxFrameBytes,
    int maxConnections,
    int maxInFlightPerConnection,
    long idleTimeoutMs,
    int sendBufferBytes,
    int receiveBufferBytes) {

  public NetworkLimits {
    if (maxFrameBytes <= 0 || maxConnections <= 0 || maxInFlightPerConnection <= 0) {
      throw new IllegalArgumentException("limits must be positive: " + maxFrameBytes + ", "
          + maxConnections + ", " + maxInFlightPerConnection);
    }
  }
}
