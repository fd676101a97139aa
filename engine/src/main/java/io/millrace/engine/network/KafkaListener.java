package io.millrace.engine.network;

import io.millrace.engine.metrics.ListenerMetrics;
import io.millrace.engine.protocol.ConnectionInfo;
import io.millrace.engine.protocol.RequestDispatcher;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance of a listener's {@code NetServer}. A listener is deployed as several instances on
 * the same host and port; Vert.x shares the acceptor and spreads connections over the instances'
 * event loops. Each accepted socket gets a {@link FrameDecoder} in its pipeline and a
 * {@link KafkaConnection}.
 */
public final class KafkaListener extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(KafkaListener.class);
  private static final AtomicLong CONNECTION_SERIAL = new AtomicLong();

  private final String listenerName;
  private final String host;
  private final int port;
  private final NetworkLimits limits;
  private final RequestDispatcher dispatcher;
  private final NetworkStats stats;
  private final ListenerMetrics metrics;
  private final ResponseEncoder encoder;
  private NetServer server;

  /**
   * @param port the port to bind, or 0 for an ephemeral one (instances of one deployment share
   *     it, see {@link #actualPort()})
   * @param metrics the listener's series, shared by its instances
   */
  public KafkaListener(String listenerName, String host, int port, NetworkLimits limits,
      RequestDispatcher dispatcher, NetworkStats stats, ListenerMetrics metrics) {
    this.listenerName = listenerName;
    this.host = host;
    this.port = port;
    this.limits = limits;
    this.dispatcher = dispatcher;
    this.stats = stats;
    this.metrics = metrics;
    this.encoder = new ResponseEncoder(stats.zeroCopyBytes());
  }

  @Override
  public Future<?> start() {
    NetServerOptions options = new NetServerOptions()
        .setHost(host)
        .setPort(port)
        .setTcpNoDelay(true)
        .setReuseAddress(true)
        .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, limits.idleTimeoutMs()))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    if (limits.sendBufferBytes() > 0) {
      options.setSendBufferSize(limits.sendBufferBytes());
    }
    if (limits.receiveBufferBytes() > 0) {
      options.setReceiveBufferSize(limits.receiveBufferBytes());
    }
    server = vertx.createNetServer(options).connectHandler(this::accept);
    return server.listen();
  }

  /** The bound port, once started. */
  public int actualPort() {
    return server.actualPort();
  }

  private void accept(NetSocket netSocket) {
    NetSocketInternal socket = (NetSocketInternal) netSocket;
    InetSocketAddress remote = new InetSocketAddress(socket.remoteAddress().host(), socket.remoteAddress().port());
    String id = socket.localAddress().host() + ":" + socket.localAddress().port() + "-"
        + remote.getHostString() + ":" + remote.getPort() + "-" + CONNECTION_SERIAL.incrementAndGet();
    if (!stats.tryOpenConnection(limits.maxConnections())) {
      log.warn("Closing connection {}: {} connections are open (max.connections)", id, limits.maxConnections());
      metrics.connectionRefused();
      socket.close();
      return;
    }
    socket.channelHandlerContext().pipeline()
        .addBefore("handler", "kafka-frames", new FrameDecoder(limits.maxFrameBytes(), id));
    KafkaConnection connection = new KafkaConnection(socket, (ContextInternal) context, dispatcher,
        encoder, new ConnectionInfo(id, listenerName, remote), limits.maxInFlightPerConnection(), metrics);
    metrics.connectionOpened();
    socket.closeHandler(v -> {
      connection.onClosed();
      stats.connectionClosed();
      metrics.connectionClosed();
      log.debug("Connection {} closed", id);
    });
    socket.exceptionHandler(e -> log.debug("Connection {}: {}", id, e.toString()));
    connection.start();
    log.debug("Connection {} accepted on listener {}", id, listenerName);
  }
}
