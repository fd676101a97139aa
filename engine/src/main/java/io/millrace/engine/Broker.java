package io.millrace.engine;

import io.millrace.engine.group.GroupCoordinator;
import io.millrace.engine.group.GroupCoordinatorConfig;
import io.millrace.engine.broker.BrokerApis;
import io.millrace.engine.broker.HostedPartitions;
import io.millrace.engine.broker.ProducerIdSource;
import io.millrace.engine.broker.TopicConfigCatalog;
import io.millrace.engine.config.BrokerConfig;
import io.millrace.engine.config.ListenerSpec;
import io.millrace.engine.log.LogManager;
import io.millrace.engine.metadata.BrokerRegistration;
import io.millrace.engine.metadata.Endpoint;
import io.millrace.engine.cluster.ClusterConfig;
import io.millrace.engine.cluster.ClusterRuntime;
import io.millrace.engine.metadata.Controller;
import io.millrace.engine.metadata.LocalController;
import io.millrace.engine.metadata.QuorumController;
import io.millrace.engine.replication.ReplicationConfig;
import io.millrace.engine.metadata.MetadataChanges;
import io.millrace.engine.metadata.MetadataImage;
import io.millrace.engine.metadata.MetadataStore;
import io.millrace.engine.metrics.BrokerMetrics;
import io.millrace.engine.metrics.MetricsConfig;
import io.millrace.engine.metrics.MetricsServer;
import io.millrace.engine.metrics.ProcessMetrics;
import io.millrace.engine.metrics.Readiness;
import io.millrace.engine.network.KafkaListener;
import io.millrace.engine.network.NetworkLimits;
import io.millrace.engine.network.NetworkStats;
import io.millrace.engine.protocol.ApiTable;
import io.millrace.engine.protocol.RequestDispatcher;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Millrace broker: Kafka-protocol listeners, the partition logs, and the local
 * controller that owns the metadata.
 *
 * <pre>
 *   clients ──▶ KafkaListener (×num.network.threads per listener) ──▶ RequestDispatcher ──▶ handlers
 *                                                                        │            │
 *                                     LocalController ◀── admin APIs ────┘            ▼
 *                                     (metadata image) ──▶ HostedPartitions ──▶ PartitionLog (LogManager)
 * </pre>
 *
 * <p>{@link #start} blocks until the broker serves requests (or fails with the reason: a bad
 * config value, a port in use, a damaged metadata file); {@link #close} stops it cleanly: the
 * listeners close, every log is flushed and checkpointed, and the next start does not rescan.
 * Thread-safe.
 *
 * <p>Monitoring: every series goes to one Micrometer registry (the broker's own Prometheus
 * registry, or the one given to {@link #start(BrokerConfig, MeterRegistry)}), Vert.x's own
 * included; the endpoint on {@code metrics.port} serves {@code /metrics}, {@code /health} and
 * {@code /ready} from the moment the broker starts opening its logs, so a long recovery shows as
 * not ready rather than as a dead port.
 */
public final class Broker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Broker.class);
  private static final long START_TIMEOUT_MS = 120_000;

  private final BrokerConfig config;
  private final Vertx vertx;
  private final LogManager logManager;
  /** The single node's controller, or null in a cluster. */
  private final LocalController localController;
  /** Membership, metadata quorum and election in a cluster, or null on a single node. */
  private final ClusterRuntime cluster;
  private final Controller controller;
  private final HostedPartitions partitions;
  private final GroupCoordinator groups;
  private final NetworkStats networkStats = new NetworkStats();
  private final MeterRegistry registry;
  private final boolean ownsRegistry;
  private final BrokerMetrics metrics;
  private final Readiness readiness = new Readiness();
  private final Readiness.Check logsRecovered;
  private final Readiness.Check metadataLoaded;
  private final Readiness.Check listenersBound;
  private final Readiness.Check clusterJoined;
  private final MetricsServer metricsServer;
  private final List<String> deployments = new ArrayList<>();
  private final Map<String, Integer> boundPorts = new LinkedHashMap<>();
  private volatile boolean closed;
  /** True once started: a broker that failed to start has no leadership to hand over. */
  private volatile boolean serving;

  private Broker(BrokerConfig config, MeterRegistry sharedRegistry) {
    this.config = config;
    this.ownsRegistry = sharedRegistry == null;
    this.registry = ownsRegistry ? ProcessMetrics.newPrometheusRegistry() : sharedRegistry;
    ClusterConfig clusterConfig = config.cluster();
    VertxOptions vertxOptions = ProcessMetrics.withVertxMetrics(new VertxOptions().setPreferNativeTransport(false));
    if (clusterConfig.enabled()) {
      this.cluster = ClusterRuntime.join(clusterConfig, config.nodeId(), vertxOptions,
          ProcessMetrics.vertxMetrics(registry));
      this.vertx = cluster.vertx();
    } else {
      this.cluster = null;
      this.vertx = Vertx.builder().with(vertxOptions).withMetrics(ProcessMetrics.vertxMetrics(registry)).build();
    }
    MetricsConfig metricsConfig = config.metrics();
    this.metrics = new BrokerMetrics(registry, config.nodeId(), config.minInsyncReplicas(),
        metricsConfig.partitionLevelEnabled());
    this.logsRecovered = readiness.add("logs_recovered", "opening and recovering the partition logs");
    this.metadataLoaded = readiness.add("metadata_loaded", "loading the metadata");
    this.listenersBound = readiness.add("listeners_bound", "binding the Kafka listeners");
    this.clusterJoined = readiness.add("cluster_joined", "registering with the controller");
    LogManager logs = null;
    try {
      this.metricsServer = startMetricsServer(metricsConfig);
      for (Path dir : config.logDirs()) {
        Files.createDirectories(dir);
      }
      MetadataStore store = new MetadataStore(config.logDirs().get(0));
      Optional<MetadataImage> stored = cluster != null ? cluster.openMetadata(store) : store.load();
      // Logs open with their topics' real configs, taken from the stored metadata.
      logs = LogManager.open(config.logDirs(), config.logManagerProps(), Time.SYSTEM, topic -> stored
          .map(image -> image.topic(topic)).map(t -> (Map<String, ?>) t.configs()).orElse(Map.of()));
      this.logManager = logs;
      logsRecovered.ready();
      TopicConfigCatalog topicConfigs = new TopicConfigCatalog(config);
      MetadataChanges changes = new MetadataChanges(config.numPartitions(), config.defaultReplicationFactor(),
          topicConfigs, Uuid::randomUuid);
      if (cluster != null) {
        ReplicationConfig replication = config.replication();
        this.localController = null;
        this.controller = cluster.controller(changes, new QuorumController.Settings(
            clusterConfig.controllerRequestTimeoutMs(), replication.autoLeaderRebalanceEnable(),
            replication.leaderImbalanceCheckIntervalMs(), replication.leaderImbalancePerBrokerPercentage()));
      } else {
        this.localController = new LocalController(vertx, store, changes, registration(Map.of()));
        this.controller = localController;
      }
      this.partitions = new HostedPartitions((VertxInternal) vertx, config.nodeId(), logs, topicConfigs,
          2 * Runtime.getRuntime().availableProcessors(), metrics.logs(), config.replication(),
          controller::alterPartition, config.interBrokerListenerName());
      controller.addListener(metrics.cluster());
      controller.addListener(partitions);
      // After the partitions: it looks up the hosted offsets partitions of each image.
      this.groups = new GroupCoordinator(vertx, GroupCoordinatorConfig.fromMap(config.originalsStrings()),
          config.nodeId(), controller, partitions, Time.SYSTEM);
      controller.addListener(groups);
      metrics.bindGroups(groups::snapshots, this::highWatermark);
    } catch (IOException e) {
      closeAfterFailedStart(logs);
      throw new UncheckedIOException("cannot open the log dirs " + config.logDirs() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeAfterFailedStart(logs);
      throw e;
    }
  }

  private void closeAfterFailedStart(LogManager logs) {
    closeQuietly(logs);
    closeVertx();
    closeMetrics();
  }

  private void closeVertx() {
    if (cluster != null) {
      cluster.close();
      return;
    }
    try {
      vertx.close().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("Closing Vert.x failed", e);
    }
  }

  /** The endpoint on {@code metrics.port}, or null when it is off ({@code -1}). */
  private MetricsServer startMetricsServer(MetricsConfig metricsConfig) {
    if (metricsConfig.port() < 0) {
      return null;
    }
    PrometheusMeterRegistry prometheus = registry instanceof PrometheusMeterRegistry p ? p : null;
    if (prometheus == null) {
      log.warn("The broker's metrics go to a {}, not a Prometheus registry: {} serves /health and /ready only",
          registry.getClass().getSimpleName(), MetricsConfig.METRICS_PORT);
    }
    JsonObject identity = new JsonObject().put("component", "broker").put("node_id", config.nodeId());
    return await(MetricsServer.start(vertx, metricsConfig.host(), metricsConfig.port(), prometheus,
        metrics::refresh, readiness, identity), "serve metrics");
  }

  private OptionalLong highWatermark(org.apache.kafka.common.TopicPartition tp) {
    return partitions.get(tp).map(p -> OptionalLong.of(p.log().highWatermark())).orElse(OptionalLong.empty());
  }

  /**
   * Starts a broker and waits until it serves requests.
   *
   * @throws org.apache.kafka.common.config.ConfigException for an invalid config value (naming the key)
   * @throws IllegalStateException when the broker cannot start (port in use, damaged metadata)
   */
  public static Broker start(BrokerConfig config) {
    return start(config, null);
  }

  /**
   * Starts a broker that publishes its series to {@code registry}, shared with the rest of the
   * process (null: the broker's own Prometheus registry, with the JVM and process series). The
   * endpoint on {@code metrics.port} serves the registry if it is a {@link PrometheusMeterRegistry};
   * the caller keeps the registry open after {@link #close()}, which removes the broker's series.
   *
   * @see #start(BrokerConfig)
   */
  public static Broker start(BrokerConfig config, MeterRegistry registry) {
    config.warnUnknownKeys();
    Broker broker = new Broker(config, registry);
    try {
      broker.startServing();
      return broker;
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
  }

  /** {@link #start(BrokerConfig)} from properties (Kafka's names). */
  public static Broker start(Map<String, ?> props) {
    return start(new BrokerConfig(props));
  }

  private void startServing() {
    if (localController != null) {
      await(localController.start(), "load the metadata");
      metadataLoaded.ready();
      metrics.publishInfo(controller.image().clusterId(), version());
    } else {
      cluster.startElection();
    }
    TopicConfigCatalog topicConfigs = new TopicConfigCatalog(config);
    ApiTable apis = BrokerApis.register(ApiTable.builder(), vertx, config, controller, partitions, topicConfigs,
        new ProducerIdSource(controller), groups).build();
    RequestDispatcher dispatcher = new RequestDispatcher(apis, System::currentTimeMillis, metrics.requests());
    NetworkLimits limits = new NetworkLimits(config.socketRequestMaxBytes(), config.maxConnections(),
        config.queuedMaxRequests(), config.connectionsMaxIdleMs(), config.socketSendBufferBytes(),
        config.socketReceiveBufferBytes());
    for (ListenerSpec listener : config.listeners()) {
      // One deployment of num.network.threads instances: Vert.x shares one server socket among
      // them, including an ephemeral one (port 0), which it shares only within a deployment.
      List<KafkaListener> instances = new java.util.concurrent.CopyOnWriteArrayList<>();
      deployments.add(await(vertx.deployVerticle(() -> {
        KafkaListener instance = new KafkaListener(listener.name(), listener.bindHost(), listener.port(), limits,
            dispatcher, networkStats, metrics.listener(listener.name()));
        instances.add(instance);
        return instance;
      }, new DeploymentOptions().setInstances(config.numNetworkThreads())), "listen on " + listener));
      int port = instances.get(0).actualPort();
      boundPorts.put(listener.name(), port);
      log.info("Listening on {} ({}:{})", listener, listener.bindHost(), port);
    }
    listenersBound.ready();
    if (cluster != null) {
      Map<String, Integer> ports = Map.copyOf(boundPorts);
      log.info("Broker {} waits for the controller to register it", config.nodeId());
      MetadataImage registered;
      try {
        registered = await(cluster.register(() -> registration(ports)), "register with the controller");
      } catch (IllegalStateException e) {
        throw new IllegalStateException("cannot join the cluster within " + START_TIMEOUT_MS / 1000 + " s: "
            + cluster.waitingFor(), e);
      }
      metadataLoaded.ready();
      metrics.publishInfo(registered.clusterId(), version());
    } else {
      await(controller.registerBroker(registration(boundPorts)), "register the broker");
    }
    clusterJoined.ready();
    serving = true;
    log.info("Millrace broker {} started: cluster {}, advertised {}, data in {}", config.nodeId(),
        controller.image().clusterId(), controller.image().brokers().get(config.nodeId()).endpoints(), config.logDirs());
  }

  /** This broker as clients reach it: advertised listeners, with bound ports for those advertised as 0. */
  private BrokerRegistration registration(Map<String, Integer> bound) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (ListenerSpec a : config.advertisedListeners()) {
      int port = a.port() == 0 ? bound.getOrDefault(a.name(), 0) : a.port();
      endpoints.add(new Endpoint(a.name(), a.host(), port));
    }
    return new BrokerRegistration(config.nodeId(), endpoints, config.rack(), false,
        cluster == null ? "" : cluster.incarnation());
  }

  /** {@code host:port} of the first advertised listener. */
  public String bootstrapServers() {
    Endpoint e = controller.image().brokers().get(config.nodeId()).endpoints().get(0);
    return e.host() + ":" + e.port();
  }

  /** The port a listener is bound to (useful with port 0). */
  public int boundPort(String listenerName) {
    Integer port = boundPorts.get(listenerName);
    if (port == null) {
      throw new IllegalArgumentException("no listener named " + listenerName + "; listeners are " + boundPorts.keySet());
    }
    return port;
  }

  public BrokerConfig config() {
    return config;
  }

  /** The current metadata image. */
  public MetadataImage metadata() {
    return controller.image();
  }

  /** Network counters (open connections, bytes sent with sendfile). */
  public NetworkStats networkStats() {
    return networkStats;
  }

  /** The broker's series (for tests and tools in the same process). */
  public BrokerMetrics metrics() {
    return metrics;
  }

  /** The registry every series of this broker goes to. */
  public MeterRegistry meterRegistry() {
    return registry;
  }

  /** The readiness checks {@code /ready} reports. */
  public Readiness readiness() {
    return readiness;
  }

  /** The port of the metrics endpoint (useful with {@code metrics.port=0}), or -1 when it is off. */
  public int metricsPort() {
    return metricsServer == null ? -1 : metricsServer.port();
  }

  /** The partition logs (for tests and tools in the same process). */
  public LogManager logManager() {
    return logManager;
  }

  /** The partitions hosted here (for tests and tools in the same process). */
  public HostedPartitions hostedPartitions() {
    return partitions;
  }

  /** The group coordinator (for tests and tools in the same process). */
  public GroupCoordinator groupCoordinator() {
    return groups;
  }

  /**
   * Stops the broker cleanly: stops accepting, closes connections, then closes every log (flush,
   * checkpoints, clean-shutdown marker). Idempotent; blocks; never call it from an event loop.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    log.info("Stopping broker {}", config.nodeId());
    ReplicationConfig replication = config.replication();
    if (cluster != null && serving && replication.controlledShutdownEnable()) {
      cluster.controlledShutdown(replication.controlledShutdownTimeoutMs());
    }
    clusterJoined.notReady("the broker is stopping");
    for (String id : deployments) {
      try {
        vertx.undeploy(id).await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("Undeploying listener {} failed", id, e);
      }
    }
    try {
      groups.close().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("Closing the group coordinator failed", e);
    }
    partitions.close();
    closeQuietly(logManager);
    closeVertx();
    closeMetrics();
    log.info("Broker {} stopped", config.nodeId());
  }

  /**
   * Stops as a crashed broker would, for tests of failures in one JVM: it leaves the cluster
   * without a goodbye (no controlled shutdown; the others notice it is gone as they would a
   * killed process), drops its connections and closes its logs. Blocks.
   */
  public void crash() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    log.info("Crashing broker {} (test)", config.nodeId());
    if (cluster != null) {
      cluster.crash();
    }
    for (String id : deployments) {
      try {
        vertx.undeploy(id).await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.debug("Undeploying listener {} after a crash: {}", id, e.toString());
      }
    }
    partitions.close();
    groups.close();
    closeQuietly(logManager);
    closeVertx();
    closeMetrics();
  }

  /** Removes the broker's series; closes the registry if it is the broker's own. */
  private void closeMetrics() {
    metrics.close();
    if (ownsRegistry) {
      ProcessMetrics.unbind(registry);
      registry.close();
    }
  }

  /** The version in the jar's manifest, or {@code dev} when run from classes. */
  private static String version() {
    String v = Broker.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  private static <T> T await(io.vertx.core.Future<T> future, String what) {
    try {
      return future.await(START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
      if (cause instanceof RuntimeException re && !(cause instanceof IllegalStateException)) {
        throw re;
      }
      throw new IllegalStateException("cannot " + what + ": " + cause.getMessage(), cause);
    }
  }

  private static void closeQuietly(LogManager logs) {
    if (logs != null) {
      try {
        logs.close();
      } catch (RuntimeException e) {
        log.error("Closing the logs failed", e);
      }
    }
  }
}
