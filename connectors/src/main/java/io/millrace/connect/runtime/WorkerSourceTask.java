package io.millrace.connect.runtime;

import io.millrace.connect.storage.OffsetStore;
import io.millrace.connect.storage.TargetState;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link SourceTask}: polls records, transforms and converts them, and sends them with
 * its own idempotent producer ({@code acks=all}). Every {@code offset.flush.interval.ms} (and
 * when stopping) it flushes the producer and, once every record sent so far is acknowledged,
 * writes the source offsets of those records to the offset store. A restarted or moved task
 * resumes from there: at least once, never a gap.
 */
public final class WorkerSourceTask extends WorkerTask {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerSourceTask.class);

  private final SourceTask task;
  private final Converters converters;
  private final TransformChain<SourceRecord> transforms;
  private final OffsetStore offsets;
  private final Map<String, Object> producerProps;
  private final long flushIntervalMs;
  private final long flushTimeoutMs;
  private final Map<Map<String, ?>, Map<String, ?>> pendingOffsets = new LinkedHashMap<>();
  private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
  private final Metrics metrics = new Metrics();
  private final TaskMetrics meters;
  private ErrorHandler errors;
  private KafkaProducer<byte[], byte[]> producer;
  private List<SourceRecord> unsent;
  private long lastFlushMs;

  public WorkerSourceTask(TaskId id, ConnectorConfig connectorConfig, Map<String, String> taskProps,
      TargetState initial, StatusListener status, SourceTask task, Converters converters,
      TransformChain<SourceRecord> transforms, OffsetStore offsets,
      Map<String, Object> producerProps, long flushIntervalMs, long flushTimeoutMs,
      TaskMetrics meters) {
    super(id, connectorConfig, taskProps, initial, status);
    this.meters = meters;
    this.task = task;
    this.converters = converters;
    this.transforms = transforms;
    this.offsets = offsets;
    this.producerProps = producerProps;
    this.flushIntervalMs = flushIntervalMs;
    this.flushTimeoutMs = flushTimeoutMs;
  }

  @Override
  protected void initializeAndStart() {
    Map<String, Object> p = new HashMap<>(producerProps);
    p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    p.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    p.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "connector-producer-" + id);
    producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    errors = new ErrorHandler(id, connectorConfig, null, this::stopping, meters);
    task.initialize(new Context());
    task.start(taskProps);
    lastFlushMs = System.currentTimeMillis();
  }

  @Override
  protected void execute() throws Exception {
    while (!stopping()) {
      if (paused()) {
        commitOffsets();
        if (!awaitUnpaused()) {
          break;
        }
      }
      if (unsent == null) {
        try {
          unsent = task.poll();
          if (unsent != null) {
            meters.recordPolled(unsent.size());
          }
        } catch (RetriableException e) {
          LOG.warn("Task {} poll failed, retrying: {}", id, e.getMessage());
          continue;
        }
      }
      if (unsent != null) {
        sendRecords(unsent);
        unsent = null;
      }
      maybeCommitOffsets();
    }
  }

  private void sendRecords(List<SourceRecord> records) {
    for (SourceRecord record : records) {
      failIfSendFailed();
      SourceRecord transformed =
          errors.execute(Stage.TRANSFORMATION, () -> transforms.apply(record), null, record);
      ProducerRecord<byte[], byte[]> out =
          transformed == null ? null : errors.execute(Stage.VALUE_CONVERTER,
              () -> convert(transformed), null, transformed);
      if (out != null) {
        producer.send(out, (md, err) -> {
          if (err != null) {
            sendFailure.compareAndSet(null, err);
          } else {
            meters.recordRecords(1);
            try {
              task.commitRecord(record, md);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
              LOG.warn("Task {} commitRecord threw", id, e);
            }
          }
        });
      }
      if (record.sourcePartition() != null && record.sourceOffset() != null) {
        pendingOffsets.put(record.sourcePartition(), record.sourceOffset());
      }
    }
  }

  private ProducerRecord<byte[], byte[]> convert(SourceRecord r) {
    if (r.topic() == null || r.topic().isEmpty()) {
      throw new ConnectException("Record has no topic: " + r);
    }
    RecordHeaders headers = new RecordHeaders();
    for (Header h : r.headers()) {
      headers.add(h.key(), converters.header().fromConnectHeader(r.topic(), h.key(), h.schema(),
          h.value()));
    }
    byte[] key = converters.key().fromConnectData(r.topic(), headers, r.keySchema(), r.key());
    byte[] value =
        converters.value().fromConnectData(r.topic(), headers, r.valueSchema(), r.value());
    Long ts = r.timestamp() != null && r.timestamp() >= 0 ? r.timestamp() : null;
    return new ProducerRecord<>(r.topic(), r.kafkaPartition(), ts, key, value, headers);
  }

  private void failIfSendFailed() {
    Exception e = sendFailure.get();
    if (e != null) {
      throw new ConnectException("Task " + id + " could not send a record to Kafka", e);
    }
  }

  private void maybeCommitOffsets() {
    if (System.currentTimeMillis() - lastFlushMs >= flushIntervalMs) {
      commitOffsets();
    }
  }

  /** Flushes the producer and stores the offsets of every record sent so far. */
  private void commitOffsets() {
    long startNanos = System.nanoTime();
    lastFlushMs = System.currentTimeMillis();
    producer.flush();
    failIfSendFailed();
    if (pendingOffsets.isEmpty()) {
      return;
    }
    Map<Map<String, ?>, Map<String, ?>> batch = new LinkedHashMap<>(pendingOffsets);
    try {
      offsets.put(id.connector(), batch).get(flushTimeoutMs, TimeUnit.MILLISECONDS);
      batch.forEach((k, v) -> pendingOffsets.remove(k, v));
      meters.recordCommit(true, System.nanoTime() - startNanos);
      task.commit();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      meters.recordCommit(false, System.nanoTime() - startNanos);
      LOG.warn("Task {} could not commit {} offsets; trying again on the next interval",
          id, batch.size(), e);
    }
  }

  @Override
  protected void onStopRequested() {
    task.stop();
  }

  @Override
  protected void close() {
    try {
      if (producer != null && sendFailure.get() == null && !failed()) {
        commitOffsets();
      }
    } catch (RuntimeException e) {
      LOG.warn("Task {} final offset commit failed", id, e);
    }
    if (failed()) {
      try {
        task.stop();
      } catch (RuntimeException e) {
        LOG.warn("Task {} stop threw", id, e);
      }
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
    transforms.close();
    converters.close();
    metrics.close();
    meters.close();
  }

  private final class Context implements SourceTaskContext {
    private final PluginMetrics pluginMetrics =
        new PluginMetricsImpl(metrics, Map.of("connector", id.connector(),
            "task", Integer.toString(id.task())));

    @Override
    public Map<String, String> configs() {
      return taskProps;
    }

    @Override
    public OffsetStorageReader offsetStorageReader() {
      return new OffsetStorageReader() {
        @Override
        public <T> Map<String, Object> offset(Map<String, T> partition) {
          return offsets.offset(id.connector(), partition);
        }

        @Override
        public <T> Map<Map<String, T>, Map<String, Object>> offsets(
            Collection<Map<String, T>> partitions) {
          Map<Map<String, T>, Map<String, Object>> out = new HashMap<>();
          for (Map<String, T> p : partitions) {
            out.put(p, offsets.offset(id.connector(), p));
          }
          return out;
        }
      };
    }

    @Override
    public PluginMetrics pluginMetrics() {
      return pluginMetrics;
    }
  }
}
