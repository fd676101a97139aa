package io.millrace.streams;

import io.millrace.streams.errors.InvalidStateStoreException;
import io.millrace.streams.errors.StreamsException;
import io.millrace.streams.errors.StreamsUncaughtExceptionHandler;
import io.millrace.streams.internals.runtime.StreamsRuntime;
import io.millrace.streams.state.QueryableStoreType;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A running streams application instance: runs a {@link Topology} with {@code
 * num.stream.threads} stream threads, each a member of the consumer group named by {@code
 * application.id}. Start more instances (same application id, each with its own {@code
 * state.dir}) and they share the tasks; stop one and the others take its tasks over, restoring
 * their state from the changelogs.
 *
 * <pre>{@code
 * Properties props = new Properties();
 * props.put(StreamsConfig.APPLICATION_ID_CONFIG, "wordcount");
 * props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
 * MillraceStreams streams = new MillraceStreams(builder.build(), props);
 * Runtime.getRuntime().addShutdownHook(new Thread(streams::close));
 * streams.start();
 * }</pre>
 *
 * <p>Lifecycle: CREATED, then {@link #start()} (returns at once; internal topics are created
 * and the group joined in the background) through REBALANCING to RUNNING; {@link #close()}
 * commits, leaves the group and ends in NOT_RUNNING. A stream thread that fails is handled by
 * the {@link StreamsUncaughtExceptionHandler} (by default: shut this instance down, ERROR).
 *
 * <p>Thread-safe.
 */
public final class MillraceStreams implements AutoCloseable {

  /** The instance's state. */
  public enum State {
    CREATED,
    REBALANCING,
    RUNNING,
    PENDING_SHUTDOWN,
    NOT_RUNNING,
    PENDING_ERROR,
    ERROR;

    public boolean isRunningOrRebalancing() {
      return this == RUNNING || this == REBALANCING;
    }
  }

  /** Told every state change, on the thread that caused it. */
  @FunctionalInterface
  public interface StateListener {
    void onChange(State newState, State oldState);
  }

  private final StreamsRuntime runtime;

  /**
   * @throws org.apache.kafka.common.config.ConfigException for a bad configuration
   * @throws StreamsException if the state directory is used by another instance
   */
  public MillraceStreams(Topology topology, Properties props) {
    this(topology, new StreamsConfig(props));
  }

  public MillraceStreams(Topology topology, Map<String, ?> props) {
    this(topology, new StreamsConfig(props));
  }

  public MillraceStreams(Topology topology, StreamsConfig config) {
    this.runtime = new StreamsRuntime(topology.internalBuilder(), config);
  }

  /**
   * Starts the stream threads.
   *
   * @throws IllegalStateException unless the instance is CREATED
   */
  public void start() {
    runtime.start();
  }

  /** Stops the threads (committing, leaving the group) and waits for them. */
  @Override
  public void close() {
    runtime.close(Duration.ofMillis(Long.MAX_VALUE));
  }

  /** As {@link #close()}, waiting at most {@code timeout}; false if threads were still running. */
  public boolean close(Duration timeout) {
    return runtime.close(timeout);
  }

  public State state() {
    return runtime.state();
  }

  public void setStateListener(StateListener listener) {
    runtime.setStateListener(listener);
  }

  /** Decides what follows when a stream thread dies; set before {@link #start()}. */
  public void setUncaughtExceptionHandler(StreamsUncaughtExceptionHandler handler) {
    runtime.setUncaughtExceptionHandler(handler);
  }

  /**
   * A read-only view of a store across this instance's running tasks (interactive queries).
   *
   * @throws InvalidStateStoreException if the instance is not running, or no running task here
   *     has a store of that name and kind (yet: retry during rebalances)
   */
  public <T> T store(String storeName, QueryableStoreType<T> type) {
    return runtime.store(storeName, type, false);
  }

  /** As {@link #store(String, QueryableStoreType)}, also reading standby copies (maybe stale). */
  public <T> T store(String storeName, QueryableStoreType<T> type, boolean includeStaleStores) {
    return runtime.store(storeName, type, includeStaleStores);
  }

  /** Every instance of the application, from the last assignment this instance received. */
  public Collection<StreamsMetadata> metadataForAllStreamsClients() {
    return runtime.allMetadata();
  }

  /**
   * Which instance holds {@code key} in {@code storeName}, to route a query there (instances
   * need {@code application.server} set).
   *
   * @throws IllegalArgumentException if no store of that name exists in the topology
   */
  public <K> KeyQueryMetadata queryMetadataForKey(String storeName, K key, Serializer<K> keySerializer) {
    return runtime.queryMetadataForKey(storeName, key, keySerializer);
  }

  /** This instance's stream threads and their tasks. */
  public List<ThreadMetadata> metadataForLocalThreads() {
    return runtime.threadMetadata();
  }

  /** Metrics of the tasks and threads (kafka-clients' registry). */
  public Map<MetricName, ? extends Metric> metrics() {
    return runtime.metrics();
  }

  /** Hands every task and thread metric, now and to come, to {@code reporter} ({@link StreamsMeterBinder}). */
  void addMetricsReporter(org.apache.kafka.common.metrics.MetricsReporter reporter) {
    runtime.addMetricsReporter(reporter);
  }

  String applicationId() {
    return runtime.applicationId();
  }

  void removeMetricsReporter(org.apache.kafka.common.metrics.MetricsReporter reporter) {
    runtime.removeMetricsReporter(reporter);
  }

  /**
   * Deletes this instance's local state (its stores are rebuilt from the changelogs on the next
   * start). Only before {@link #start()} or after {@link #close()}.
   */
  public void cleanUp() {
    runtime.cleanUp();
  }
}
