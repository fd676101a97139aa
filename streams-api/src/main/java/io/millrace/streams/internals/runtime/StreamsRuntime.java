package io.millrace.streams.internals.runtime;

import io.millrace.streams.HostInfo;
import io.millrace.streams.KeyQueryMetadata;
import io.millrace.streams.MillraceStreams;
import io.millrace.streams.StreamsConfig;
import io.millrace.streams.StreamsMetadata;
import io.millrace.streams.ThreadMetadata;
import io.millrace.streams.errors.StreamsUncaughtExceptionHandler;
import io.millrace.streams.internals.topology.InternalTopologyBuilder;
import io.millrace.streams.state.QueryableStoreType;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machinery behind {@link MillraceStreams}: the threads, the client state derived from
 * theirs, failure handling and interactive queries.
 */
public final class StreamsRuntime implements StreamThread.Listener {
  private static final Logger log = LoggerFactory.getLogger(StreamsRuntime.class);

  private final InternalTopologyBuilder topology;
  private final StreamsConfig config;
  private final String applicationId;
  private final String clientId;
  private final StateDirectory stateDirectory;
  private final UUID processId;
  private final TopicSetup topicSetup;
  private final InteractiveQueries queries;
  private final Metrics metrics = new Metrics();
  private final List<StreamThread> threads = new CopyOnWriteArrayList<>();
  private final AtomicInteger threadIndex = new AtomicInteger();
  private final long cacheBytesPerThread;
  private org.apache.kafka.clients.admin.Admin admin;
  private volatile MillraceStreams.State state = MillraceStreams.State.CREATED;
  private volatile MillraceStreams.StateListener stateListener;
  private volatile StreamsUncaughtExceptionHandler handler;
  private volatile boolean failed;

  public StreamsRuntime(InternalTopologyBuilder topology, StreamsConfig config) {
    this.topology = topology;
    this.config = config;
    this.applicationId = config.getString(StreamsConfig.APPLICATION_ID_CONFIG);
    if (config.getList(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG).isEmpty()) {
      throw new ConfigException(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "",
          "a streams application needs the brokers to connect to");
    }
    String endpoint = config.getString(StreamsConfig.APPLICATION_SERVER_CONFIG);
    if (!endpoint.isEmpty()) {
      HostInfo.parse(endpoint);
    }
    topology.subtopologies();
    this.stateDirectory = new StateDirectory(new File(config.getString(StreamsConfig.STATE_DIR_CONFIG)), applicationId);
    stateDirectory.open();
    this.processId = stateDirectory.processId();
    String given = config.getString(StreamsConfig.CLIENT_ID_CONFIG);
    this.clientId = given.isEmpty() ? applicationId + "-" + processId : given;
    this.topicSetup = new TopicSetup(topology, config, clientId);
    this.queries = new InteractiveQueries(topology, applicationId, topicSetup, threads, () -> state);
    int n = config.getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG);
    this.cacheBytesPerThread = config.getLong(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG) / n;
  }

  public synchronized void start() {
    if (state != MillraceStreams.State.CREATED) {
      throw new IllegalStateException("Cannot start an instance in state " + state + "; make a new one");
    }
    setState(MillraceStreams.State.REBALANCING);
    admin = org.apache.kafka.clients.admin.Admin.create(config.adminConfigs(clientId + "-admin"));
    int n = config.getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG);
    for (int i = 0; i < n; i++) {
      startThread();
    }
    log.info("Started {} stream threads of {} (process {})", n, applicationId, processId);
  }

  private void startThread() {
    StreamThread t = new StreamThread(clientId + "-StreamThread-" + threadIndex.incrementAndGet(), config, topology,
        stateDirectory, topicSetup, processId, metrics, cacheBytesPerThread, admin, this);
    threads.add(t);
    t.start();
  }

  public boolean close(Duration timeout) {
    synchronized (this) {
      if (state == MillraceStreams.State.CREATED) {
        setState(MillraceStreams.State.NOT_RUNNING);
      }
      if (state == MillraceStreams.State.NOT_RUNNING || state == MillraceStreams.State.ERROR) {
        releaseResources();
        return true;
      }
      if (state != MillraceStreams.State.PENDING_SHUTDOWN && state != MillraceStreams.State.PENDING_ERROR) {
        setState(MillraceStreams.State.PENDING_SHUTDOWN);
      }
    }
    return stopThreads(timeout, false);
  }

  private boolean stopThreads(Duration timeout, boolean error) {
    threads.forEach(StreamThread::shutdown);
    long deadline = timeout.toMillis() >= Long.MAX_VALUE / 2
        ? Long.MAX_VALUE : System.currentTimeMillis() + timeout.toMillis();
    boolean allDone = true;
    for (StreamThread t : threads) {
      if (t == Thread.currentThread()) {
        continue;
      }
      try {
        long wait = deadline == Long.MAX_VALUE ? 0 : Math.max(1, deadline - System.currentTimeMillis());
        t.join(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      allDone &= !t.isAlive();
    }
    synchronized (this) {
      if (allDone) {
        setState(error || failed ? MillraceStreams.State.ERROR : MillraceStreams.State.NOT_RUNNING);
        releaseResources();
      }
    }
    return allDone;
  }

  private void releaseResources() {
    stateDirectory.close();
    metrics.close();
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
      admin = null;
    }
  }

  public String applicationId() {
    return applicationId;
  }

  public MillraceStreams.State state() {
    return state;
  }

  public void setStateListener(MillraceStreams.StateListener listener) {
    this.stateListener = listener;
  }

  public void setUncaughtExceptionHandler(StreamsUncaughtExceptionHandler handler) {
    this.handler = handler;
  }

  private synchronized void setState(MillraceStreams.State to) {
    MillraceStreams.State from = state;
    if (from == to) {
      return;
    }
    state = to;
    log.info("{}: {} -> {}", clientId, from, to);
    MillraceStreams.StateListener l = stateListener;
    if (l != null) {
      try {
        l.onChange(to, from);
      } catch (RuntimeException e) {
        log.warn("The state listener failed", e);
      }
    }
  }

  // ---- StreamThread.Listener ----

  @Override
  public synchronized void onStateChange(StreamThread thread, StreamThread.State from, StreamThread.State to) {
    if (!state.isRunningOrRebalancing()) {
      return;
    }
    boolean allRunning = true;
    for (StreamThread t : threads) {
      StreamThread.State s = t.state();
      if (s == StreamThread.State.DEAD || s == StreamThread.State.PENDING_SHUTDOWN) {
        continue;
      }
      allRunning &= s == StreamThread.State.RUNNING;
    }
    setState(allRunning ? MillraceStreams.State.RUNNING : MillraceStreams.State.REBALANCING);
  }

  @Override
  public StreamsUncaughtExceptionHandler.Response onFailure(StreamThread thread, Throwable error) {
    StreamsUncaughtExceptionHandler h = handler;
    StreamsUncaughtExceptionHandler.Response response = StreamsUncaughtExceptionHandler.Response.SHUTDOWN_CLIENT;
    if (h != null) {
      try {
        StreamsUncaughtExceptionHandler.Response r = h.handle(error);
        if (r != null) {
          response = r;
        }
      } catch (RuntimeException e) {
        log.error("The uncaught exception handler failed; shutting this instance down", e);
      }
    } else {
      log.error("{} died and no uncaught exception handler is set: shutting this instance down", thread.getName());
    }
    switch (response) {
      case REPLACE_THREAD -> {
        synchronized (this) {
          threads.remove(thread);
          if (state.isRunningOrRebalancing()) {
            log.warn("Replacing {} after its failure", thread.getName());
            startThread();
          }
        }
      }
      case SHUTDOWN_CLIENT -> shutdownOnError(thread);
      case SHUTDOWN_APPLICATION -> failed = true;
    }
    return response;
  }

  @Override
  public void onApplicationShutdownSignal(StreamThread thread) {
    shutdownOnError(thread);
  }

  private void shutdownOnError(StreamThread from) {
    synchronized (this) {
      failed = true;
      if (state == MillraceStreams.State.PENDING_ERROR || state == MillraceStreams.State.ERROR
          || state == MillraceStreams.State.PENDING_SHUTDOWN || state == MillraceStreams.State.NOT_RUNNING) {
        return;
      }
      setState(MillraceStreams.State.PENDING_ERROR);
    }
    Thread stopper = new Thread(() -> stopThreads(Duration.ofMillis(Long.MAX_VALUE), true),
        clientId + "-shutdown");
    stopper.setDaemon(true);
    stopper.start();
  }

  // ---- queries and metadata ----

  public <T> T store(String name, QueryableStoreType<T> type, boolean includeStandby) {
    return queries.store(name, type, includeStandby);
  }

  public Collection<StreamsMetadata> allMetadata() {
    return queries.allMetadata();
  }

  public <K> KeyQueryMetadata queryMetadataForKey(String storeName, K key, Serializer<K> keySerializer) {
    return queries.queryMetadataForKey(storeName, key, keySerializer);
  }

  public List<ThreadMetadata> threadMetadata() {
    List<ThreadMetadata> out = new ArrayList<>();
    for (StreamThread t : threads) {
      out.add(new ThreadMetadata(t.getName(), t.state().name(), t.activeTaskIds(), t.standbyTaskIds()));
    }
    return out;
  }

  public Map<MetricName, ? extends Metric> metrics() {
    return Map.copyOf(metrics.metrics());
  }

  /** The reporter gets every metric registered so far, then each change (for Micrometer). */
  public void addMetricsReporter(org.apache.kafka.common.metrics.MetricsReporter reporter) {
    metrics.addReporter(reporter);
  }

  public void removeMetricsReporter(org.apache.kafka.common.metrics.MetricsReporter reporter) {
    metrics.removeReporter(reporter);
  }

  public synchronized void cleanUp() {
    if (state.isRunningOrRebalancing() || state == MillraceStreams.State.PENDING_SHUTDOWN
        || state == MillraceStreams.State.PENDING_ERROR) {
      throw new IllegalStateException("Cannot clean up local state while the instance is " + state);
    }
    stateDirectory.cleanUp();
  }
}
