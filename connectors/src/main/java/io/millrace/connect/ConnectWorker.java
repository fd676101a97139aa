package io.millrace.connect;

import io.millrace.connect.herder.GroupMembership;
import io.millrace.connect.herder.Herder;
import io.millrace.connect.herder.Membership;
import io.millrace.connect.herder.SoloMembership;
import io.millrace.connect.rest.RestServer;
import io.millrace.connect.runtime.Plugins;
import io.millrace.connect.storage.FileLog;
import io.millrace.connect.storage.KeyValueLog;
import io.millrace.connect.storage.TopicLog;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connect worker: the REST API, the herder and the tasks it runs. {@link #start} builds one
 * from a {@link WorkerConfig}'s keys; {@link #close} stops it (tasks commit their offsets
 * first). This is what {@code bin/millrace connect} runs.
 *
 * <pre>{@code
 * try (ConnectWorker w = ConnectWorker.start(Map.of("bootstrap.servers", "localhost:9092",
 *     "rest.port", "8083"))) {
 *   // POST http://localhost:8083/connectors ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. Blocking: {@code start} returns when the worker has read its logs and joined
 * its group; {@code close} when everything has stopped.
 */
public final class ConnectWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectWorker.class);

  private final Vertx vertx;
  private final RestServer rest;
  private final Herder herder;
  private final String restUrl;

  private ConnectWorker(Vertx vertx, RestServer rest, Herder herder, String restUrl) {
    this.vertx = vertx;
    this.rest = rest;
    this.herder = herder;
    this.restUrl = restUrl;
  }

  /**
   * Starts a worker whose meters go to Micrometer's global registry; throws {@link
   * org.apache.kafka.common.config.ConfigException} on bad keys.
   */
  public static ConnectWorker start(Map<String, String> props) {
    return start(props, Metrics.globalRegistry);
  }

  /** Starts a worker whose meters ({@code millrace.connect.*}) go to {@code registry}. */
  public static ConnectWorker start(Map<String, String> props,
      MeterRegistry registry) {
    WorkerConfig config = new WorkerConfig(props);
    Vertx vertx = Vertx.vertx();
    RestServer rest = new RestServer(vertx, config.getString(WorkerConfig.REST_HOST),
        config.getInt(WorkerConfig.REST_PORT));
    Herder herder = null;
    try {
      int port = rest.start().await();
      String workerId = config.advertisedHost() + ":" + port;
      Plugins plugins = new Plugins();
      herder = config.distributed() ? distributed(config, plugins, workerId, registry)
          : standalone(config, plugins, workerId, registry);
      herder.start();
      rest.serve(herder.operations());
      LOG.info("Connect worker {} ready: REST API on port {}", workerId, port);
      return new ConnectWorker(vertx, rest, herder, "http://" + config.advertisedHost() + ":"
          + port);
    } catch (RuntimeException e) {
      if (herder != null) {
        herder.close();
      }
      rest.close();
      vertx.close().await();
      throw e;
    }
  }

  /** Fails at once, naming the brokers, when none answers (rather than at each topic). */
  private static void checkBrokersReachable(WorkerConfig config) {
    Map<String, Object> props = new HashMap<>(config.originalsWithPrefix("admin."));
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    long timeoutMs = config.getLong(WorkerConfig.REQUEST_TIMEOUT_MS);
    props.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs);
    props.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, (int) timeoutMs);
    Admin admin = Admin.create(props);
    try {
      admin.describeCluster().clusterId().get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new ConnectException("No broker answered at "
          + config.bootstrapServers() + " within " + timeoutMs + " ms (" + WorkerConfig
          .BOOTSTRAP_SERVERS + ")", e);
    } finally {
      admin.close(Duration.ofSeconds(1));
    }
  }

  private static Herder distributed(WorkerConfig config, Plugins plugins, String workerId,
      MeterRegistry registry) {
    checkBrokersReachable(config);
    Map<String, Object> client = new HashMap<>();
    client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    KeyValueLog configs = topicLog(config, WorkerConfig.CONFIG_TOPIC, 1,
        WorkerConfig.CONFIG_REPLICATION, true, client);
    KeyValueLog offsets = topicLog(config, WorkerConfig.OFFSET_TOPIC,
        config.getInt(WorkerConfig.OFFSET_PARTITIONS), WorkerConfig.OFFSET_REPLICATION, false,
        client);
    KeyValueLog statuses = topicLog(config, WorkerConfig.STATUS_TOPIC,
        config.getInt(WorkerConfig.STATUS_PARTITIONS), WorkerConfig.STATUS_REPLICATION, false,
        client);
    Map<String, Object> member = new HashMap<>(client);
    member.put(ConsumerConfig.GROUP_ID_CONFIG, config.getString(WorkerConfig.GROUP_ID));
    member.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
        config.getInt(WorkerConfig.SESSION_TIMEOUT_MS));
    member.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
        config.getInt(WorkerConfig.HEARTBEAT_INTERVAL_MS));
    member.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
        config.getInt(WorkerConfig.REBALANCE_TIMEOUT_MS));
    Membership membership = new GroupMembership(workerId, member,
        config.getString(WorkerConfig.CONFIG_TOPIC));
    return new Herder(config, plugins, workerId, configs, offsets, statuses, membership,
        registry);
  }

  /** The log on the topic the worker key {@code topicKey} names. */
  private static KeyValueLog topicLog(WorkerConfig config, String topicKey, int partitions,
      String replicationKey, boolean ordered, Map<String, Object> client) {
    return new TopicLog(new TopicLog.Spec(config.getString(topicKey), topicKey, partitions,
        config.getShort(replicationKey), ordered, client));
  }

  private static Herder standalone(WorkerConfig config, Plugins plugins, String workerId,
      MeterRegistry registry) {
    Path dir = Path.of(config.getString(WorkerConfig.STANDALONE_DIR));
    return new Herder(config, plugins, workerId, new FileLog(dir.resolve("configs.json")),
        new FileLog(dir.resolve("offsets.json")), new FileLog(dir.resolve("status.json")),
        new SoloMembership(workerId), registry);
  }

  /** The REST API's base URL, e.g. {@code http://host:8083}. */
  public String restUrl() {
    return restUrl;
  }

  public int restPort() {
    return rest.port();
  }

  public Herder herder() {
    return herder;
  }

  @Override
  public void close() {
    try {
      rest.close();
    } finally {
      try {
        herder.close();
      } finally {
        vertx.close().await();
      }
    }
  }
}
