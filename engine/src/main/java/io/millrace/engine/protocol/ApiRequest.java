package io.millrace.engine.protocol;

import java.util.Objects;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * One decoded request as a handler sees it.
 *
 * @param header the request header (API key, version, correlation id, client id)
 * @param body the parsed body; for Produce its records still point into the frame, which stays
 *     alive until the handler's future completes
 * @param connection where the request came from
 * @param receivedTimeMs wall-clock time the frame was read, from the broker's clock
 */
public record ApiRequest<R extends AbstractRequest>(
    RequestHeader header, R body, ConnectionInfo connection, long receivedTimeMs) {

  public ApiRequest {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(connection, "connection");
  }

  /** The request's API version. */
  public short version() {
    return header.apiVersion();
  }
}
