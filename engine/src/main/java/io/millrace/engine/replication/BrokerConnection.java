package io.millrace.engine.replication;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * A Kafka-protocol connection from this broker to another one's listener, as the follower's
 * fetcher uses it: requests encoded with kafka-clients' message classes, responses matched in
 * order by correlation id, each with a deadline. Any failure (connect, timeout, a garbled or
 * mismatched response, the peer closing) fails every request in flight and closes the connection;
 * the owner makes a new one.
 *
 * <pre>
 *   frame = size:int32 | header | body      (both directions; size excludes itself)
 * </pre>
 *
 * <p>Not thread-safe: use it from the one context given.
 */
final class BrokerConnection {

  private record Pending(int correlationId, ApiKeys api, short version, Promise<AbstractResponse> promise, long timer) {}

  private final ContextInternal context;
  private final NetClient client;
  private final String host;
  private final int port;
  private final String clientId;
  private final long requestTimeoutMs;
  private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
  private NetSocket socket;
  private int nextCorrelationId;
  private boolean closed;

  BrokerConnection(ContextInternal context, NetClient client, String host, int port, String clientId,
      long requestTimeoutMs) {
    this.context = context;
    this.client = client;
    this.host = host;
    this.port = port;
    this.clientId = clientId;
    this.requestTimeoutMs = requestTimeoutMs;
  }

  String address() {
    return host + ":" + port;
  }

  Future<Void> connect() {
    return client.connect(port, host).map(s -> {
      if (closed) {
        s.close();
        throw new IllegalStateException("connection to " + address() + " closed while connecting");
      }
      socket = s;
      RecordParser parser = RecordParser.newFixed(4);
      boolean[] readingSize = {true};
      parser.handler(buffer -> {
        if (readingSize[0]) {
          int size = buffer.getInt(0);
          if (size < 0) {
            fail(new IOException("negative frame size " + size + " from " + address()));
            return;
          }
          readingSize[0] = false;
          parser.fixedSizeMode(Math.max(size, 1));
        } else {
          readingSize[0] = true;
          parser.fixedSizeMode(4);
          onFrame(buffer);
        }
      });
      s.handler(parser);
      s.closeHandler(v -> fail(new IOException("connection to " + address() + " closed")));
      s.exceptionHandler(e -> fail(new IOException("connection to " + address() + " failed: " + e.getMessage(), e)));
      return null;
    });
  }

  boolean isOpen() {
    return socket != null && !closed;
  }

  /** Sends a request; the future completes with its parsed response. */
  @SuppressWarnings("unchecked")
  <R extends AbstractResponse> Future<R> send(ApiKeys api, short version, ApiMessage body) {
    if (!isOpen()) {
      return Future.failedFuture(new IOException("not connected to " + address()));
    }
    int correlationId = nextCorrelationId++;
    RequestHeader header = new RequestHeader(api, version, clientId, correlationId);
    ByteBuffer bytes = RequestUtils.serialize(header.data(), header.headerVersion(), body, version);
    Buffer frame = Buffer.buffer(4 + bytes.remaining()).appendInt(bytes.remaining());
    byte[] payload = new byte[bytes.remaining()];
    bytes.get(payload);
    frame.appendBytes(payload);
    Promise<AbstractResponse> promise = context.promise();
    long timer = context.owner().setTimer(requestTimeoutMs, t -> fail(new IOException(api + " to " + address()
        + " had no answer within " + requestTimeoutMs + " ms")));
    inFlight.addLast(new Pending(correlationId, api, version, promise, timer));
    socket.write(frame);
    return (Future<R>) promise.future();
  }

  private void onFrame(Buffer frame) {
    Pending pending = inFlight.pollFirst();
    if (pending == null) {
      fail(new IOException("unexpected response from " + address()));
      return;
    }
    context.owner().cancelTimer(pending.timer());
    try {
      ByteBuffer buffer = ByteBuffer.wrap(frame.getBytes());
      ResponseHeader header = ResponseHeader.parse(buffer, pending.api().responseHeaderVersion(pending.version()));
      if (header.correlationId() != pending.correlationId()) {
        throw new IOException("response " + header.correlationId() + " from " + address() + " for request "
            + pending.correlationId());
      }
      pending.promise().tryComplete(AbstractResponse.parseResponse(pending.api(), new ByteBufferAccessor(buffer),
          pending.version()));
    } catch (Exception e) {
      pending.promise().tryFail(e);
      fail(e instanceof IOException io ? io : new IOException("garbled response from " + address(), e));
    }
  }

  private void fail(IOException e) {
    closed = true;
    while (!inFlight.isEmpty()) {
      Pending p = inFlight.pollFirst();
      context.owner().cancelTimer(p.timer());
      p.promise().tryFail(e);
    }
    if (socket != null) {
      socket.close();
    }
  }

  void close() {
    fail(new IOException("connection to " + address() + " closed by this broker"));
  }
}
