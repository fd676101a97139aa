package io.millrace.engine.protocol;

import io.vertx.core.Future;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractRequest;

/**
 * Serves one Kafka API. Each handler declares the versions it serves; {@link ApiTable} builds the
 * ApiVersions answer from these declarations, so what the broker advertises is what it
 * implements.
 *
 * <p>Threading: {@link #handle} is called on the event loop of the connection the request came
 * in on, and must not block. It returns a future of the response body (in the request's
 * version); a {@code null} result means "send no response" (Produce with acks=0). A failed future
 * is answered with the request's error response, the error mapped by {@code Errors.forException}.
 *
 * @param <R> the parsed request type
 */
public interface ApiHandler<R extends AbstractRequest> {

  /** The API this handler serves. */
  ApiKeys apiKey();

  /** The lowest version this handler parses and answers; defaults to kafka-clients' oldest. */
  default short minVersion() {
    return apiKey().oldestVersion();
  }

  /** The highest version this handler parses and answers; defaults to kafka-clients' latest. */
  default short maxVersion() {
    return apiKey().latestVersion();
  }

  /**
   * The minimum advertised in ApiVersions. Equal to {@link #minVersion()} except where a client
   * needs a lower advertised minimum to enable a feature (librdkafka turns compression off unless
   * Produce v0 is advertised); requests below {@link #minVersion()} get UNSUPPORTED_VERSION.
   */
  default short advertisedMinVersion() {
    return minVersion();
  }

  /** Works on one request; see the class comment for threading and completion. */
  Future<ApiMessage> handle(ApiRequest<R> request);
}
