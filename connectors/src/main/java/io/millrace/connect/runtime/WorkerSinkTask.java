package io.millrace.connect.runtime;

import io.millrace.connect.storage.TargetState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link SinkTask} in the consumer group {@code connect-NAME}: polls, converts and
 * transforms records, hands them to {@code put}, and every {@code offset.flush.interval.ms}
 * asks the task to flush and commits what it flushed. A {@link RetriableException} from
 * {@code put} pauses consumption and redelivers the same batch after the task's timeout.
 * Records that fail conversion or transformation, or that the task reports through {@link
 * ErrantRecordReporter}, follow {@code errors.tolerance} (and go to the dead-letter topic).
 */
public final class WorkerSinkTask extends WorkerTask {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerSinkTask.class);
  private static final long DEFAULT_RETRY_MS = 1_000;

  private final SinkTask task;
  private final Converters converters;
  private final TransformChain<SinkRecord> transforms;
  private final Map<String, Object> consumerProps;
  private final Map<String, Object> producerProps;
  private final long commitIntervalMs;
  private final Map<TopicPartition, OffsetAndMetadata> currentOffsets = new HashMap<>();
  private final Map<TopicPartition, Long> requestedSeeks = new HashMap<>();
  private final Set<TopicPartition> taskPaused = new HashSet<>();
  private final Map<SinkRecord, ConsumerRecord<byte[], byte[]>> originals =
      new IdentityHashMap<>();
  private final Metrics metrics = new Metrics();
  private final TaskMetrics meters;
  private KafkaConsumer<byte[], byte[]> consumer;
  private DeadLetterQueue dlq;
  private ErrorHandler errors;
  private List<SinkRecord> redeliver;
  private long retryAtMs;
  private long timeoutMs = -1;
  private boolean commitRequested;
  private long lastCommitMs;
  private boolean closing;

  public WorkerSinkTask(TaskId id, ConnectorConfig connectorConfig, Map<String, String> taskProps,
      TargetState initial, StatusListener status, SinkTask task, Converters converters,
      TransformChain<SinkRecord> transforms, Map<String, Object> consumerProps,
      Map<String, Object> producerProps, long commitIntervalMs, TaskMetrics meters) {
    super(id, connectorConfig, taskProps, initial, status);
    this.meters = meters;
    this.task = task;
    this.converters = converters;
    this.transforms = transforms;
    this.consumerProps = consumerProps;
    this.producerProps = producerProps;
    this.commitIntervalMs = commitIntervalMs;
  }

  @Override
  protected void initializeAndStart() {
    String dlqTopic = connectorConfig.getString(ConnectorConfig.DLQ_TOPIC);
    if (!dlqTopic.isBlank() && connectorConfig.toleratesAll()) {
      dlq = new DeadLetterQueue(dlqTopic.trim(),
          connectorConfig.getShort(ConnectorConfig.DLQ_REPLICATION), id,
          connectorConfig.getBoolean(ConnectorConfig.DLQ_CONTEXT_HEADERS), producerProps);
    }
    errors = new ErrorHandler(id, connectorConfig, dlq, this::stopping, meters);
    Map<String, Object> c = new HashMap<>(consumerProps);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "connect-" + id.connector());
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "connector-consumer-" + id);
    consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    task.initialize(new Context());
    task.start(taskProps);
    String regex = connectorConfig.getString(ConnectorConfig.TOPICS_REGEX);
    if (!regex.isBlank()) {
      consumer.subscribe(Pattern.compile(regex), new Rebalance());
    } else {
      consumer.subscribe(connectorConfig.getList(ConnectorConfig.TOPICS), new Rebalance());
    }
    lastCommitMs = System.currentTimeMillis();
  }

  @Override
  protected void execute() {
    while (!stopping()) {
      try {
        iterate();
      } catch (WakeupException e) {
        // stop() or a state change woke the poll up
      }
    }
  }

  private void iterate() {
    long now = System.currentTimeMillis();
    if (commitRequested || now - lastCommitMs >= commitIntervalMs) {
      commitOffsets(consumer.assignment());
    }
    applySeeks();
    if (paused()) {
      consumer.pause(consumer.assignment());
    } else if (redeliver == null) {
      resumeAll();
    }
    long pollMs = redeliver != null ? Math.max(0, Math.min(retryAtMs - now, 1000)) : 1000;
    if (timeoutMs >= 0) {
      pollMs = Math.min(pollMs, timeoutMs);
    }
    ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(pollMs));
    if (paused()) {
      return;
    }
    if (redeliver != null) {
      if (System.currentTimeMillis() >= retryAtMs) {
        deliver(redeliver);
      }
      return;
    }
    List<SinkRecord> batch = new ArrayList<>(polled.count());
    for (ConsumerRecord<byte[], byte[]> r : polled) {
      SinkRecord converted = errors.execute(Stage.VALUE_CONVERTER, () -> convert(r), r, null);
      SinkRecord transformed = converted == null ? null
          : errors.execute(Stage.TRANSFORMATION, () -> transforms.apply(converted), r, null);
      if (transformed != null) {
        originals.put(transformed, r);
        batch.add(transformed);
      }
      currentOffsets.put(new TopicPartition(r.topic(), r.partition()),
          new OffsetAndMetadata(r.offset() + 1));
    }
    if (!batch.isEmpty() || !polled.isEmpty()) {
      deliver(batch);
    }
  }

  private void deliver(List<SinkRecord> batch) {
    try {
      task.put(batch);
      meters.recordRecords(batch.size());
      redeliver = null;
      originals.clear();
      resumeAll();
    } catch (RetriableException e) {
      long wait = timeoutMs >= 0 ? timeoutMs : DEFAULT_RETRY_MS;
      LOG.warn("Task {} put failed, redelivering {} records in {} ms: {}", id, batch.size(),
          wait, e.getMessage());
      redeliver = batch;
      retryAtMs = System.currentTimeMillis() + wait;
      consumer.pause(consumer.assignment());
    }
  }

  private SinkRecord convert(ConsumerRecord<byte[], byte[]> r) {
    SchemaAndValue key = converters.key().toConnectData(r.topic(), r.headers(), r.key());
    SchemaAndValue value = converters.value().toConnectData(r.topic(), r.headers(), r.value());
    ConnectHeaders headers = new ConnectHeaders();
    r.headers().forEach(h -> {
      SchemaAndValue hv = converters.header().toConnectHeader(r.topic(), h.key(), h.value());
      headers.add(h.key(), hv);
    });
    return new SinkRecord(r.topic(), r.partition(), key.schema(), key.value(), value.schema(),
        value.value(), r.offset(), r.timestamp(), r.timestampType(), headers);
  }

  private void commitOffsets(Collection<TopicPartition> partitions) {
    commitRequested = false;
    lastCommitMs = System.currentTimeMillis();
    if (redeliver != null) {
      return; // the batch in hand has not been taken yet: nothing new is safe to commit
    }
    Map<TopicPartition, OffsetAndMetadata> current = new HashMap<>();
    for (TopicPartition tp : partitions) {
      OffsetAndMetadata o = currentOffsets.get(tp);
      if (o != null) {
        current.put(tp, o);
      }
    }
    if (current.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> committable;
    long startNanos = System.nanoTime();
    try {
      committable = task.preCommit(new HashMap<>(current));
    } catch (RetriableException e) {
      LOG.warn("Task {} could not flush, will try again: {}", id, e.getMessage());
      return;
    }
    if (dlq != null) {
      dlq.flush();
    }
    if (committable != null && !committable.isEmpty()) {
      committable.keySet().retainAll(current.keySet());
      try {
        consumer.commitSync(committable);
        meters.recordCommit(true, System.nanoTime() - startNanos);
      } catch (org.apache.kafka.common.errors.WakeupException e) {
        throw e;
      } catch (RuntimeException e) {
        meters.recordCommit(false, System.nanoTime() - startNanos);
        throw e;
      }
    }
  }

  /** The last commit; a wakeup left pending by {@link #stop} is consumed and the commit retried. */
  private void finalCommit() {
    try {
      commitOffsets(consumer.assignment());
    } catch (WakeupException e) {
      commitOffsets(consumer.assignment());
    }
  }

  private void applySeeks() {
    if (requestedSeeks.isEmpty()) {
      return;
    }
    requestedSeeks.forEach((tp, offset) -> {
      if (consumer.assignment().contains(tp)) {
        consumer.seek(tp, offset);
        currentOffsets.put(tp, new OffsetAndMetadata(offset));
      }
    });
    requestedSeeks.clear();
  }

  private void resumeAll() {
    Set<TopicPartition> resume = new HashSet<>(consumer.assignment());
    resume.removeAll(taskPaused);
    consumer.resume(resume);
  }

  @Override
  protected void onTargetStateChanged(TargetState state) {
    if (consumer != null) {
      consumer.wakeup();
    }
  }

  @Override
  protected void onStopRequested() {
    if (consumer != null) {
      consumer.wakeup();
    }
  }

  @Override
  protected void close() {
    closing = true;
    if (consumer != null && !failed()) {
      try {
        finalCommit();
      } catch (RuntimeException e) {
        LOG.warn("Task {} final commit failed", id, e);
      }
    }
    try {
      if (consumer != null) {
        task.close(consumer.assignment());
      }
    } catch (RuntimeException e) {
      LOG.warn("Task {} close threw", id, e);
    }
    try {
      task.stop();
    } catch (RuntimeException e) {
      LOG.warn("Task {} stop threw", id, e);
    }
    if (consumer != null) {
      consumer.close(Duration.ofSeconds(5));
    }
    if (dlq != null) {
      dlq.close();
    }
    transforms.close();
    converters.close();
    metrics.close();
    meters.close();
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (closing) {
        return; // close() committed and closed everything already
      }
      if (!partitions.isEmpty() && !failed()) {
        commitOffsets(partitions);
        task.close(partitions);
      }
      partitions.forEach(currentOffsets::remove);
      taskPaused.removeAll(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      for (TopicPartition tp : partitions) {
        currentOffsets.put(tp, new OffsetAndMetadata(consumer.position(tp)));
      }
      task.open(partitions);
      if (paused() || redeliver != null) {
        consumer.pause(partitions);
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      if (closing) {
        return;
      }
      task.close(partitions);
      partitions.forEach(currentOffsets::remove);
    }
  }

  private final class Context implements SinkTaskContext {
    private final PluginMetrics pluginMetrics =
        new PluginMetricsImpl(metrics, Map.of("connector", id.connector(),
            "task", Integer.toString(id.task())));

    @Override
    public Map<String, String> configs() {
      return taskProps;
    }

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {
      requestedSeeks.putAll(offsets);
    }

    @Override
    public void offset(TopicPartition tp, long offset) {
      requestedSeeks.put(tp, offset);
    }

    @Override
    public void timeout(long ms) {
      timeoutMs = ms;
    }

    @Override
    public Set<TopicPartition> assignment() {
      return consumer.assignment();
    }

    @Override
    public void pause(TopicPartition... partitions) {
      taskPaused.addAll(Arrays.asList(partitions));
      consumer.pause(Arrays.asList(partitions));
    }

    @Override
    public void resume(TopicPartition... partitions) {
      taskPaused.removeAll(Arrays.asList(partitions));
      if (!paused()) {
        consumer.resume(Arrays.asList(partitions));
      }
    }

    @Override
    public void requestCommit() {
      commitRequested = true;
    }

    @Override
    public ErrantRecordReporter errantRecordReporter() {
      return (record, error) -> {
        ConsumerRecord<byte[], byte[]> original = originals.get(record);
        if (original == null) {
          original = new ConsumerRecord<>(record.topic(), record.kafkaPartition(),
              record.kafkaOffset(),
              converters.key().fromConnectData(record.topic(), record.keySchema(), record.key()),
              converters.value().fromConnectData(record.topic(), record.valueSchema(),
                  record.value()));
          for (org.apache.kafka.connect.header.Header h : record.headers()) {
            original.headers().add(new RecordHeader(h.key(),
                converters.header().fromConnectHeader(record.topic(), h.key(), h.schema(),
                    h.value())));
          }
        }
        errors.fail(Stage.TASK_PUT, error, original, record);
        return CompletableFuture.completedFuture(null);
      };
    }

    @Override
    public PluginMetrics pluginMetrics() {
      return pluginMetrics;
    }
  }
}
