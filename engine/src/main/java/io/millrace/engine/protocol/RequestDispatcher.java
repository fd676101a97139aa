package io.millrace.engine.protocol;

import io.millrace.engine.metrics.RequestMetrics;
import io.vertx.core.Future;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestAndSize;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one request frame (without its 4-byte length) into a handler call and a
 * {@link Response}. Thread-safe and stateless apart from the {@link ApiTable}.
 *
 * <p>Three outcomes, by what the frame holds:
 * <ul>
 *   <li>an API key or version no handler serves: an ApiVersions v0 body with UNSUPPORTED_VERSION
 *       ({@link ApiTable#unsupportedVersionReply});
 *   <li>a header or body kafka-clients cannot parse: {@link InvalidRequestException}, thrown at
 *       once; the caller closes the connection, as Kafka does;
 *   <li>otherwise the handler's answer, or the request's own error response if it fails.
 * </ul>
 */
public final class RequestDispatcher {

  private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);

  /** api key (2) + api version (2) + correlation id (4) + client id length (2). */
  static final int MIN_HEADER_BYTES = 10;

  private final ApiTable table;
  private final LongSupplier clockMs;
  private final RequestMetrics metrics;

  /** A dispatcher whose request series go nowhere (tests). */
  public RequestDispatcher(ApiTable table, LongSupplier clockMs) {
    this(table, clockMs, null);
  }

  /**
   * @param metrics where request latencies and errors are recorded; null records nothing
   */
  public RequestDispatcher(ApiTable table, LongSupplier clockMs, RequestMetrics metrics) {
    this.table = table;
    this.clockMs = clockMs;
    this.metrics = metrics;
  }

  public ApiTable table() {
    return table;
  }

  /**
   * Decodes the frame and calls its handler.
   *
   * @throws InvalidRequestException when the frame is garbled; nothing was dispatched
   */
  public Future<Response> dispatch(ByteBuffer frame, ConnectionInfo connection) {
    long receivedNanos = System.nanoTime();
    long receivedMs = clockMs.getAsLong();
    int start = frame.position();
    if (frame.remaining() < MIN_HEADER_BYTES) {
      throw new InvalidRequestException("frame of " + frame.remaining()
          + " bytes is shorter than a request header (" + MIN_HEADER_BYTES + ")");
    }
    short apiKeyId = frame.getShort(start);
    short version = frame.getShort(start + 2);
    int correlationId = frame.getInt(start + 4);
    ApiHandler<?> handler = ApiKeys.hasId(apiKeyId) ? table.handler(ApiKeys.forId(apiKeyId)) : null;
    if (handler == null || version < handler.minVersion() || version > handler.maxVersion()) {
      log.debug("Unsupported API key {} version {} from {} (correlation id {})",
          apiKeyId, version, connection.connectionId(), correlationId);
      if (metrics != null) {
        metrics.recordUnsupported();
      }
      return Future.succeededFuture(table.unsupportedVersionReply(correlationId));
    }
    RequestHeader header;
    RequestAndSize parsed;
    try {
      header = RequestHeader.parse(frame);
      parsed = AbstractRequest.parseRequest(header.apiKey(), version, new ByteBufferAccessor(frame));
    } catch (RuntimeException e) {
      throw new InvalidRequestException("cannot parse " + ApiKeys.forId(apiKeyId) + " v" + version
          + " (correlation id " + correlationId + "): " + e, e);
    }
    return invoke(handler, new ApiRequest<>(header, parsed.request, connection, receivedMs), receivedNanos);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Future<Response> invoke(ApiHandler handler, ApiRequest request, long receivedNanos) {
    Future<ApiMessage> answer;
    try {
      answer = handler.handle(request);
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    return answer.transform(ar -> {
      if (metrics != null) {
        metrics.recordLatency(handler.apiKey(), System.nanoTime() - receivedNanos);
        if (ar.failed()) {
          metrics.recordError(handler.apiKey());
        }
      }
      if (ar.succeeded()) {
        return Future.succeededFuture(ar.result() == null ? Response.NONE : reply(request.header(), ar.result()));
      }
      return Future.succeededFuture(errorReply(request, ar.cause()));
    });
  }

  private static Response reply(RequestHeader header, ApiMessage body) {
    ResponseHeader responseHeader = header.toResponseHeader();
    return new Response.Reply(responseHeader.data(), responseHeader.headerVersion(), body, header.apiVersion());
  }

  private static Response errorReply(ApiRequest<?> request, Throwable cause) {
    if (cause instanceof ApiException) {
      log.debug("{} from {} failed: {}", request.header().apiKey(), request.connection().connectionId(), cause.toString());
    } else {
      log.warn("{} v{} from {} (correlation id {}) failed unexpectedly", request.header().apiKey(),
          request.version(), request.connection().connectionId(), request.header().correlationId(), cause);
    }
    return reply(request.header(), request.body().getErrorResponse(0, cause).data());
  }
}
