package io.millrace.streams.testing;

import io.millrace.streams.StreamsConfig;
import io.millrace.streams.Topology;
import io.millrace.streams.errors.DeserializationExceptionHandler;
import io.millrace.streams.errors.ProductionExceptionHandler;
import io.millrace.streams.internals.processor.ProcessorTopology;
import io.millrace.streams.internals.processor.RecordCollector;
import io.millrace.streams.internals.processor.StreamTask;
import io.millrace.streams.internals.processor.TaskMetrics;
import io.millrace.streams.internals.processor.TaskStateManager;
import io.millrace.streams.internals.state.CacheBudget;
import io.millrace.streams.internals.state.StateDirectories;
import io.millrace.streams.internals.state.TimestampedKeyValueStoreView;
import io.millrace.streams.internals.state.TimestampedWindowStoreView;
import io.millrace.streams.internals.topology.InternalTopologyBuilder;
import io.millrace.streams.internals.topology.Subtopology;
import io.millrace.streams.processor.TaskId;
import io.millrace.streams.state.KeyValueStore;
import io.millrace.streams.state.SessionStore;
import io.millrace.streams.state.StateStore;
import io.millrace.streams.state.TimestampedKeyValueStore;
import io.millrace.streams.state.TimestampedWindowStore;
import io.millrace.streams.state.WindowStore;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Runs a topology synchronously, without a broker, for unit tests: pipe records into input
 * topics, read what it writes from output topics, move the wall clock, read its stores.
 *
 * <pre>{@code
 * try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
 *   TestInputTopic<String, String> in =
 *       driver.createInputTopic("lines", new StringSerializer(), new StringSerializer());
 *   TestOutputTopic<String, Long> out =
 *       driver.createOutputTopic("counts", new StringDeserializer(), new LongDeserializer());
 *   in.pipeInput("hello world");
 *   assertEquals(Map.of("hello", 1L, "world", 1L), out.readKeyValuesToMap());
 * }
 * }</pre>
 *
 * <p>Each sub-topology runs as one task on partition 0. Every piped record is processed to the
 * end, through repartition topics, and then the task commits (record caches flush), so every
 * update is visible at once. Changelog records are written to their topics too ({@link
 * #producedTopicNames()}). {@code application.id} defaults to {@code test-driver}; the state
 * directory is a fresh temporary directory unless {@code state.dir} is set, and is deleted on
 * {@link #close()}.
 *
 * <p>Not thread-safe: drive it from one thread.
 */
public final class TopologyTestDriver implements AutoCloseable {
  private final InternalTopologyBuilder builder;
  private final String applicationId;
  private final Map<String, Object> configs;
  private final File stateDir;
  private final boolean ownsStateDir;
  private final Metrics metrics = new Metrics();
  private final Map<Integer, StreamTask> tasks = new LinkedHashMap<>();
  private final Map<String, StreamTask> taskByTopic = new HashMap<>();
  private final DriverTopics topics = new DriverTopics(taskByTopic::containsKey);
  private long wallClockMs;
  private boolean closed;

  public TopologyTestDriver(Topology topology) {
    this(topology, new Properties());
  }

  public TopologyTestDriver(Topology topology, Properties props) {
    this(topology, props, Instant.now());
  }

  public TopologyTestDriver(Topology topology, Instant initialWallClockTime) {
    this(topology, new Properties(), initialWallClockTime);
  }

  public TopologyTestDriver(Topology topology, Properties props, Instant initialWallClockTime) {
    Properties p = new Properties();
    p.putAll(props);
    p.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, "test-driver");
    StreamsConfig config = new StreamsConfig(p);
    this.builder = topology.internalBuilder();
    this.applicationId = config.getString(StreamsConfig.APPLICATION_ID_CONFIG);
    this.configs = config.appConfigs();
    this.wallClockMs = initialWallClockTime.toEpochMilli();
    this.ownsStateDir = !props.containsKey(StreamsConfig.STATE_DIR_CONFIG);
    try {
      this.stateDir = ownsStateDir
          ? Files.createTempDirectory("millrace-test-driver").toFile()
          : new File(config.getString(StreamsConfig.STATE_DIR_CONFIG));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot make a state directory", e);
    }
    try {
      createTasks(config);
    } catch (RuntimeException e) {
      try {
        close();
      } catch (RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /** One task per sub-topology, on partition 0 of its sources, restored (empty) and running. */
  private void createTasks(StreamsConfig config) {
    DeserializationExceptionHandler deserializationHandler = config.getConfiguredInstance(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeserializationExceptionHandler.class);
    ProductionExceptionHandler productionHandler = config.getConfiguredInstance(
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, ProductionExceptionHandler.class);
    CacheBudget budget = new CacheBudget(config.getLong(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG));
    for (Subtopology s : builder.subtopologies()) {
      TaskId id = new TaskId(s.id(), 0);
      Set<TopicPartition> inputs = new LinkedHashSet<>();
      s.sourceTopics().forEach(t -> inputs.add(new TopicPartition(builder.resolveTopic(applicationId, t), 0)));
      ProcessorTopology pt = ProcessorTopology.build(builder, s, applicationId, configs);
      RecordCollector collector = topics.collector(productionHandler);
      File taskDir = new File(new File(stateDir, applicationId), id.toString());
      TaskStateManager sm = new TaskStateManager(id, applicationId, taskDir, configs, budget, collector, false);
      StreamTask task = new StreamTask(id, applicationId, inputs, pt, sm, collector, configs,
          deserializationHandler, new TaskMetrics(metrics, "test-driver", id), () -> wallClockMs);
      tasks.put(s.id(), task);
      inputs.forEach(tp -> taskByTopic.put(tp.topic(), task));
    }
    for (StreamTask t : tasks.values()) {
      t.initializeStores();
      t.completeRestoration();
    }
  }

  // ---- topics ----

  public <K, V> TestInputTopic<K, V> createInputTopic(
      String topic, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
    return new TestInputTopic<>(this, topic, keySerializer, valueSerializer,
        Instant.ofEpochMilli(wallClockMs), Duration.ZERO);
  }

  /** An input topic whose records get {@code startTime}, then {@code + autoAdvance} each. */
  public <K, V> TestInputTopic<K, V> createInputTopic(
      String topic, Serializer<K> keySerializer, Serializer<V> valueSerializer,
      Instant startTime, Duration autoAdvance) {
    return new TestInputTopic<>(this, topic, keySerializer, valueSerializer, startTime, autoAdvance);
  }

  public <K, V> TestOutputTopic<K, V> createOutputTopic(
      String topic, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
    return new TestOutputTopic<>(this, topic, keyDeserializer, valueDeserializer);
  }

  /** Every topic the topology has written to, including repartition and changelog topics. */
  public Set<String> producedTopicNames() {
    return topics.producedTopicNames();
  }

  void pipeRaw(String topic, byte[] key, byte[] value, Headers headers, long timestamp) {
    ensureOpen();
    StreamTask task = taskByTopic.get(topic);
    if (task == null) {
      throw new IllegalArgumentException(
          "Unknown topic " + topic + ": the topology reads " + taskByTopic.keySet());
    }
    if (timestamp < 0) {
      throw new IllegalArgumentException("A record time must not be negative: " + timestamp);
    }
    enqueue(task, topic, key, value, headers, timestamp);
    processAll();
  }

  private void enqueue(StreamTask task, String topic, byte[] key, byte[] value, Headers headers, long ts) {
    long offset = topics.nextOffset(topic);
    ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>(topic, 0, offset, ts, TimestampType.CREATE_TIME,
        key == null ? -1 : key.length, value == null ? -1 : value.length, key, value,
        new RecordHeaders(headers.toArray()), Optional.empty());
    task.addRecords(new TopicPartition(topic, 0), List.of(r));
  }

  /** Processes everything buffered, including what flows through repartition topics. */
  private void processAll() {
    do {
      while (topics.hasBacklog()) {
        ProducerRecord<byte[], byte[]> r = topics.pollBacklog();
        enqueue(taskByTopic.get(r.topic()), r.topic(), r.key(), r.value(), r.headers(), r.timestamp());
      }
      for (StreamTask t : tasks.values()) {
        while (t.process()) {
          // keep going
        }
      }
      for (StreamTask t : tasks.values()) {
        t.flushCaches();
      }
    } while (topics.hasBacklog());
  }

  /** Moves the wall clock and fires wall-clock punctuations that come due. */
  public void advanceWallClockTime(Duration advance) {
    ensureOpen();
    if (advance.isNegative()) {
      throw new IllegalArgumentException("advance must not be negative");
    }
    wallClockMs += advance.toMillis();
    for (StreamTask t : tasks.values()) {
      t.maybePunctuateSystemTime();
    }
    processAll();
  }

  ProducerRecord<byte[], byte[]> readOutput(String topic) {
    return topics.readOutput(topic);
  }

  long outputSize(String topic) {
    return topics.outputSize(topic);
  }

  // ---- stores ----

  /** Any store by name, or null. */
  public StateStore getStateStore(String name) {
    for (StreamTask t : tasks.values()) {
      StateStore s = t.stateManager().store(name);
      if (s != null) {
        return s;
      }
    }
    return null;
  }

  public Map<String, StateStore> getAllStateStores() {
    Map<String, StateStore> all = new LinkedHashMap<>();
    tasks.values().forEach(t -> all.putAll(t.stateManager().stores()));
    return all;
  }

  /** A key-value store (a timestamped one seen without its timestamps), or null. */
  @SuppressWarnings("unchecked")
  public <K, V> KeyValueStore<K, V> getKeyValueStore(String name) {
    StateStore s = getStateStore(name);
    if (s instanceof TimestampedKeyValueStore<?, ?> t) {
      return new TimestampedKeyValueStoreView<>((TimestampedKeyValueStore<K, V>) t);
    }
    return s instanceof KeyValueStore<?, ?> kv ? (KeyValueStore<K, V>) kv : null;
  }

  @SuppressWarnings("unchecked")
  public <K, V> TimestampedKeyValueStore<K, V> getTimestampedKeyValueStore(String name) {
    StateStore s = getStateStore(name);
    return s instanceof TimestampedKeyValueStore<?, ?> t ? (TimestampedKeyValueStore<K, V>) t : null;
  }

  /** A window store (a timestamped one seen without its timestamps), or null. */
  @SuppressWarnings("unchecked")
  public <K, V> WindowStore<K, V> getWindowStore(String name) {
    StateStore s = getStateStore(name);
    if (s instanceof TimestampedWindowStore<?, ?> t) {
      return new TimestampedWindowStoreView<>((TimestampedWindowStore<K, V>) t);
    }
    return s instanceof WindowStore<?, ?> w ? (WindowStore<K, V>) w : null;
  }

  @SuppressWarnings("unchecked")
  public <K, V> TimestampedWindowStore<K, V> getTimestampedWindowStore(String name) {
    StateStore s = getStateStore(name);
    return s instanceof TimestampedWindowStore<?, ?> t ? (TimestampedWindowStore<K, V>) t : null;
  }

  @SuppressWarnings("unchecked")
  public <K, V> SessionStore<K, V> getSessionStore(String name) {
    StateStore s = getStateStore(name);
    return s instanceof SessionStore<?, ?> ss ? (SessionStore<K, V>) ss : null;
  }

  /** The tasks' metrics (group {@code stream-task-metrics}). */
  public Map<MetricName, ? extends org.apache.kafka.common.Metric> metrics() {
    return Collections.unmodifiableMap(metrics.metrics());
  }

  /** The total of one task metric (e.g. {@code dropped-records-total}) over all tasks. */
  public double metricTotal(String name) {
    double total = 0;
    for (var e : metrics.metrics().entrySet()) {
      if (e.getKey().name().equals(name) && e.getKey().group().equals(TaskMetrics.GROUP)) {
        total += ((Number) e.getValue().metricValue()).doubleValue();
      }
    }
    return total;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("The test driver is closed");
    }
  }

  /** Closes the tasks and stores and deletes the temporary state directory. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    RuntimeException first = null;
    for (StreamTask t : tasks.values()) {
      try {
        t.close(true);
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    metrics.close();
    if (ownsStateDir) {
      StateDirectories.deleteRecursively(stateDir);
    }
    if (first != null) {
      throw first;
    }
  }
}
