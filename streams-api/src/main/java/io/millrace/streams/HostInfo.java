package io.millrace.streams;

/**
 * Where an application instance serves interactive queries ({@code application.server}).
 *
 * <p>Immutable; thread-safe.
 *
 * @param host host name or address
 * @param port port
 */
public record HostInfo(String host, int port) {

  /**
   * Parses {@code host:port}.
   *
   * @throws IllegalArgumentException if it is not of that form
   */
  public static HostInfo parse(String endpoint) {
    int colon = endpoint == null ? -1 : endpoint.lastIndexOf(':');
    if (colon <= 0 || colon == endpoint.length() - 1) {
      throw new IllegalArgumentException("Expected host:port, got '" + endpoint + "'");
    }
    try {
      return new HostInfo(endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Expected host:port, got '" + endpoint + "'", e);
    }
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
