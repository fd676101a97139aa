package io.millrace.engine.cluster;

import io.millrace.engine.metadata.BrokerRegistration;
import io.millrace.engine.metadata.ClusterController;
import io.millrace.engine.metadata.Controller;
import io.millrace.engine.metadata.MetadataAcceptor;
import io.millrace.engine.metadata.MetadataChanges;
import io.millrace.engine.metadata.MetadataImage;
import io.millrace.engine.metadata.MetadataStore;
import io.millrace.engine.metadata.PartitionImage;
import io.millrace.engine.metadata.QuorumController;
import io.millrace.engine.metadata.TopicImage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a broker runs to be part of a cluster, in start order: the cluster member
 * ({@link ClusterNode}), its metadata acceptor, the event-bus transport, the
 * {@link QuorumController} (idle until elected), the {@link ClusterController} the broker's
 * handlers use, and the {@link ControllerElection}. It also keeps the broker registered: at
 * start, with every new controller, and whenever the committed metadata shows this run fenced
 * (it was cut off and came back), until the broker stops.
 *
 * <p>Thread-safe. {@link #close} and {@link #controlledShutdown} block: never call them from an
 * event loop.
 */
public final class ClusterRuntime implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ClusterRuntime.class);

  private final ClusterNode node;
  private MetadataAcceptor acceptor;
  private EventBusTransport transport;
  private QuorumController quorum;
  private ClusterController controller;
  private ControllerElection election;
  private Supplier<BrokerRegistration> registration;
  private volatile boolean stopping;
  private volatile boolean registering;

  private ClusterRuntime(ClusterNode node) {
    this.node = node;
  }

  /** Joins the cluster (blocking). */
  public static ClusterRuntime join(ClusterConfig config, int nodeId, VertxOptions options, VertxMetricsFactory metrics) {
    return new ClusterRuntime(ClusterNode.join(config, nodeId, options, metrics));
  }

  public Vertx vertx() {
    return node.vertx();
  }

  public ClusterNode node() {
    return node;
  }

  /** Opens the metadata acceptor on the first log dir's store; returns the stored image, if any. */
  public Optional<MetadataImage> openMetadata(MetadataStore store) {
    acceptor = new MetadataAcceptor(node.vertx(), store);
    try {
      acceptor.start().await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
      throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause.getMessage(), cause);
    }
    return acceptor.stored();
  }

  /** The broker's controller; the election starts with {@link #start}. */
  public Controller controller(MetadataChanges changes, QuorumController.Settings settings) {
    int timeout = node.config().controllerRequestTimeoutMs();
    transport = new EventBusTransport(node, acceptor, timeout);
    quorum = new QuorumController(node.vertx(), node.nodeId(), changes, transport, acceptor, settings,
        why -> election.giveUp());
    controller = new ClusterController(node.vertx(), node.nodeId(), acceptor, quorum, transport, timeout);
    election = new ControllerElection(node, new ControllerElection.Listener() {
      @Override
      public void elected(long fence) {
        quorum.activate(fence).onFailure(e -> log.info("Activating as controller failed: {}", e.toString()));
      }

      @Override
      public void lost(String why) {
        quorum.deactivate(why);
      }
    });
    // Keep this run registered: re-register when the committed metadata does not show it live.
    acceptor.onApplied(this::maybeRegister);
    return controller;
  }

  /** Competes for the controller role. */
  public void startElection() {
    election.start();
  }

  /**
   * Registers this run with the controller and waits until the committed metadata this broker
   * applied shows it live.
   */
  public Future<MetadataImage> register(Supplier<BrokerRegistration> self) {
    this.registration = self;
    Promise<MetadataImage> registered = Promise.promise();
    acceptor.onApplied(image -> {
      if (isLiveHere(image)) {
        registered.tryComplete(image);
      }
    });
    registerUntilLive();
    return registered.future();
  }

  private boolean isLiveHere(MetadataImage image) {
    BrokerRegistration me = image.brokers().get(node.nodeId());
    return me != null && !me.fenced() && me.incarnation().equals(node.incarnation())
        && me.equals(registration.get());
  }

  private void maybeRegister(MetadataImage image) {
    if (registration != null && !stopping && !isLiveHere(image)) {
      registerUntilLive();
    }
  }

  private synchronized void registerUntilLive() {
    if (registering || stopping) {
      return;
    }
    registering = true;
    BrokerRegistration self = registration.get();
    controller.registerBroker(self).onComplete(ar -> {
      synchronized (this) {
        registering = false;
      }
      MetadataImage applied = acceptor.applied();
      if (stopping || (ar.succeeded() && applied != null && isLiveHere(applied))) {
        return;
      }
      if (ar.failed()) {
        log.info("Registering broker {} with the controller: {}; trying again", node.nodeId(), ar.cause().getMessage());
      }
      node.vertx().setTimer(ar.failed() ? 500 : 50, t -> {
        MetadataImage now = acceptor.applied();
        if (now == null || !isLiveHere(now)) {
          registerUntilLive();
        }
      });
    });
  }

  /** Why a broker still waits for registration, for the error when it gives up. */
  public String waitingFor() {
    int members = node.members().size();
    int cp = node.config().cpMemberCount();
    MetadataImage applied = acceptor.applied();
    if (cp > 0 && members < cp) {
      return "only " + members + " broker(s) have joined cluster '" + node.config().name() + "' (cluster.join="
          + node.config().join() + "); the CP Subsystem elects a controller once cluster.cp.member.count=" + cp
          + " have";
    }
    if (applied == null) {
      return "no controller has sent the metadata yet (" + members + " broker(s) in the cluster; a controller needs a"
          + " majority of the registered brokers)";
    }
    return "the controller (broker " + applied.controllerId() + ") has not registered this broker";
  }

  /** This run's member id: what it registers as its incarnation. */
  public String incarnation() {
    return node.incarnation();
  }

  /**
   * Moves leadership away before the broker stops: asks the controller to fence this broker and
   * waits, up to {@code timeoutMs}, until the committed metadata applied here shows it leads
   * nothing. Stops re-registering.
   */
  public void controlledShutdown(long timeoutMs) {
    stopping = true;
    if (!leadsAnything(acceptor.applied())) {
      // Nothing another in-sync replica could take over: the controller fences this broker when
      // it leaves, as it would any broker.
      return;
    }
    long deadline = System.currentTimeMillis() + timeoutMs;
    try {
      controller.controlledShutdown(node.nodeId()).await(timeoutMs, TimeUnit.MILLISECONDS);
      while (System.currentTimeMillis() < deadline && leadsAnything(acceptor.applied())) {
        Thread.sleep(20);
      }
      log.info("Controlled shutdown of broker {}: leadership moved away", node.nodeId());
    } catch (Exception e) {
      log.warn("Controlled shutdown of broker {} did not complete: {}; stopping anyway", node.nodeId(), e.toString());
    }
  }

  /** Whether this broker leads a partition another live in-sync replica could take over. */
  private boolean leadsAnything(MetadataImage image) {
    if (image == null) {
      return false;
    }
    for (TopicImage t : image.topics().values()) {
      for (PartitionImage p : t.partitions()) {
        if (p.leader() == node.nodeId()
            && p.isr().stream().anyMatch(id -> id != node.nodeId() && image.isLive(id))) {
          return true;
        }
      }
    }
    return false;
  }

  /** Stops competing and serving, and leaves the cluster. */
  @Override
  public void close() {
    stopping = true;
    if (election != null) {
      election.close();
    }
    if (quorum != null) {
      quorum.deactivate("the broker is stopping");
    }
    if (transport != null) {
      transport.close();
    }
    node.close();
  }

  /** Leaves the cluster abruptly, as a crash would (for tests). */
  public void crash() {
    stopping = true;
    if (quorum != null) {
      quorum.deactivate("crashed");
    }
    node.crash();
    if (election != null) {
      try {
        election.close();
      } catch (RuntimeException e) {
        log.debug("Stopping the election after a crash: {}", e.toString());
      }
    }
  }
}
