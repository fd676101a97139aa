package io.millrace.engine.network;

import io.millrace.engine.metrics.ListenerMetrics;
import io.millrace.engine.protocol.ConnectionInfo;
import io.millrace.engine.protocol.RequestDispatcher;
import io.millrace.engine.protocol.Response;
import io.netty.buffer.ByteBuf;
import io.netty.channel.FileRegion;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import java.util.ArrayDeque;
import java.util.List;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection. Requests are dispatched as soon as their frame arrives and may complete
 * in any order; responses leave in request order (clients pipeline, and match responses by
 * position as well as by correlation id).
 *
 * <pre>
 *   frames in ──▶ [slot 1][slot 2][slot 3] ──▶ head done? write it, pop, repeat
 *                  pending  done    done
 * </pre>
 *
 * <p>Threading: every method runs on the connection's event loop; handler completions hop back to
 * it. No locks. Bounds: at most {@code maxInFlight} slots; at the bound, or while the socket's
 * write queue is full, the connection stops reading (TCP pushes back on the client).
 */
final class KafkaConnection {

  private static final Logger log = LoggerFactory.getLogger(KafkaConnection.class);

  private final NetSocketInternal socket;
  private final ContextInternal context;
  private final RequestDispatcher dispatcher;
  private final ResponseEncoder encoder;
  private final ConnectionInfo info;
  private final int maxInFlight;
  private final ListenerMetrics metrics;
  private final ArrayDeque<Slot> slots = new ArrayDeque<>();
  private boolean paused;
  private boolean closed;

  /** A request's place in the response order. */
  private static final class Slot {
    Response response;
    boolean done;
  }

  KafkaConnection(NetSocketInternal socket, ContextInternal context, RequestDispatcher dispatcher,
      ResponseEncoder encoder, ConnectionInfo info, int maxInFlight, ListenerMetrics metrics) {
    this.socket = socket;
    this.context = context;
    this.dispatcher = dispatcher;
    this.encoder = encoder;
    this.info = info;
    this.maxInFlight = maxInFlight;
    this.metrics = metrics;
  }

  ConnectionInfo info() {
    return info;
  }

  void start() {
    socket.messageHandler(this::onMessage);
    socket.drainHandler(v -> maybeResume());
  }

  /** Called once the socket is closed, from either side. */
  void onClosed() {
    closed = true;
  }

  private void onMessage(Object message) {
    if (!(message instanceof ByteBuf frame)) {
      ReferenceCountUtil.release(message);
      return;
    }
    if (closed) {
      frame.release();
      return;
    }
    metrics.requestReceived(frame.readableBytes());
    Future<Response> answer;
    try {
      answer = dispatcher.dispatch(frame.nioBuffer(), info);
    } catch (InvalidRequestException e) {
      frame.release();
      metrics.requestDone();
      log.warn("Closing connection {}: {}", info.connectionId(), e.getMessage());
      close();
      return;
    }
    Slot slot = new Slot();
    slots.addLast(slot);
    maybePause();
    // The frame backs the parsed request (Produce records point into it): free it only once
    // the handler is done with the request.
    answer.onComplete(ar -> context.execute(() -> complete(slot, frame, ar)));
  }

  private void complete(Slot slot, ByteBuf frame, AsyncResult<Response> result) {
    frame.release();
    metrics.requestDone();
    if (result.failed()) {
      log.warn("Closing connection {}: request failed without a response", info.connectionId(), result.cause());
      slot.response = Response.NONE;
      slot.done = true;
      close();
      return;
    }
    slot.response = result.result();
    slot.done = true;
    writeCompleted();
  }

  private void writeCompleted() {
    while (!slots.isEmpty() && slots.peekFirst().done) {
      Slot head = slots.removeFirst();
      if (!closed && head.response instanceof Response.Reply reply) {
        write(reply);
      }
    }
    maybeResume();
  }

  private void write(Response.Reply reply) {
    List<Object> parts;
    try {
      parts = encoder.encode(reply);
    } catch (RuntimeException e) {
      log.error("Closing connection {}: cannot encode {} v{}", info.connectionId(),
          reply.body().getClass().getSimpleName(), reply.version(), e);
      close();
      return;
    }
    long bytes = 0;
    for (Object part : parts) {
      bytes += part instanceof ByteBuf buf ? buf.readableBytes() : ((FileRegion) part).count();
      socket.writeMessage(part);
    }
    metrics.bytesSent(bytes);
    if (socket.writeQueueFull()) {
      maybePause();
    }
  }

  private void maybePause() {
    if (!paused && !closed && (slots.size() >= maxInFlight || socket.writeQueueFull())) {
      paused = true;
      socket.pause();
    }
  }

  private void maybeResume() {
    if (paused && !closed && slots.size() < maxInFlight && !socket.writeQueueFull()) {
      paused = false;
      socket.resume();
    }
  }

  private void close() {
    if (!closed) {
      closed = true;
      socket.close();
    }
  }
}
