package io.millrace.engine.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.millrace.engine.log.PartitionLog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.common.TopicPartition;

/**
 * Series of the topics and partitions this broker hosts.
 *
 * <pre>
 *   per topic (always)            millrace_topic_produced_bytes_total, _produced_records_total,
 *                                 _fetched_bytes_total, _failed_produce_requests_total,
 *                                 millrace_topic_log_size_bytes, millrace_topic_partitions
 *   per partition (optional)      millrace_partition_log_size_bytes, _log_segments, _log_start_offset,
 *                                 _log_end_offset, _high_watermark
 *   broker totals (always)        millrace_log_size_bytes, millrace_log_segments
 * </pre>
 *
 * Gauges read the logs when scraped (their getters are safe from any thread), so hosting a
 * partition adds nothing to its hot path but the counters. Thread-safe.
 */
public final class LogMetrics {

  private final OwnedMeters meters;
  private final boolean partitionLevel;
  private final Map<String, TopicMeters> topics = new HashMap<>();
  /** Every hosted log, for the broker totals. */
  private final Set<PartitionLog> logs = ConcurrentHashMap.newKeySet();

  LogMetrics(OwnedMeters meters, boolean partitionLevel) {
    this.meters = meters;
    this.partitionLevel = partitionLevel;
    MeterRegistry registry = meters.registry();
    meters.own(Gauge.builder("millrace.log.size", logs, l -> sum(l, PartitionLog::sizeInBytes)).baseUnit("bytes")
        .description("Bytes of every partition log hosted on the broker").register(registry));
    meters.own(Gauge.builder("millrace.log.segments", logs, l -> sum(l, PartitionLog::numberOfSegments))
        .description("Segments of every partition log hosted on the broker").register(registry));
  }

  /** Whether per-partition series are published ({@code metrics.partition.level.enabled}). */
  public boolean partitionLevelEnabled() {
    return partitionLevel;
  }

  /** The series of a partition that starts being hosted here; close it when it stops. */
  public synchronized PartitionMetrics partition(TopicPartition tp, PartitionLog log) {
    TopicMeters topic = topics.computeIfAbsent(tp.topic(), TopicMeters::new);
    topic.logs.add(log);
    logs.add(log);
    List<Meter> own = new ArrayList<>();
    if (partitionLevel) {
      Tags tags = Tags.of("topic", tp.topic(), "partition", String.valueOf(tp.partition()));
      own.add(gauge("millrace.partition.log.size", "bytes", tags, log, PartitionLog::sizeInBytes,
          "Bytes of the partition's log, all segments"));
      own.add(gauge("millrace.partition.log.segments", null, tags, log, PartitionLog::numberOfSegments,
          "Segments of the partition's log"));
      own.add(gauge("millrace.partition.log.start.offset", null, tags, log, PartitionLog::logStartOffset,
          "First offset of the partition's log"));
      own.add(gauge("millrace.partition.log.end.offset", null, tags, log, PartitionLog::logEndOffset,
          "Offset the next appended record gets"));
      own.add(gauge("millrace.partition.high.watermark", null, tags, log, PartitionLog::highWatermark,
          "Offset up to which records are committed and served to consumers"));
    }
    return new Hosted(topic, log, own);
  }

  private Gauge gauge(String name, String unit, Tags tags, PartitionLog log, ToDoubleFunction<PartitionLog> f,
      String description) {
    return meters.own(Gauge.builder(name, log, f).baseUnit(unit).tags(tags).description(description)
        .strongReference(true).register(meters.registry()));
  }

  private synchronized void release(Hosted p) {
    p.own.forEach(meters::remove);
    logs.remove(p.log);
    TopicMeters topic = p.topic;
    topic.logs.remove(p.log);
    if (topic.logs.isEmpty() && topics.get(topic.name) == topic) {
      topics.remove(topic.name);
      topic.meters.forEach(meters::remove);
    }
  }

  private static double sum(Set<PartitionLog> logs, ToDoubleFunction<PartitionLog> f) {
    double total = 0;
    for (PartitionLog log : logs) {
      total += f.applyAsDouble(log);
    }
    return total;
  }

  /** The counters and gauges of one topic, shared by its hosted partitions. */
  private final class TopicMeters {
    final String name;
    final Set<PartitionLog> logs = ConcurrentHashMap.newKeySet();
    final List<Meter> meters = new ArrayList<>();
    final Counter producedBytes;
    final Counter producedRecords;
    final Counter failedProduces;
    final Counter fetchedBytes;

    TopicMeters(String topic) {
      this.name = topic;
      MeterRegistry registry = LogMetrics.this.meters.registry();
      producedBytes = own(Counter.builder("millrace.topic.produced").baseUnit("bytes").tag("topic", topic)
          .description("Record batch bytes appended by producers (Kafka's BytesInPerSec)").register(registry));
      producedRecords = own(Counter.builder("millrace.topic.produced.records").tag("topic", topic)
          .description("Records appended by producers (Kafka's MessagesInPerSec)").register(registry));
      failedProduces = own(Counter.builder("millrace.topic.failed.produce.requests").tag("topic", topic)
          .description("Produced batches refused with an error (corrupt, too large, out of order, ...)")
          .register(registry));
      fetchedBytes = own(Counter.builder("millrace.topic.fetched").baseUnit("bytes").tag("topic", topic)
          .description("Record bytes sent to consumers (Kafka's BytesOutPerSec)").register(registry));
      own(Gauge.builder("millrace.topic.log.size", logs, l -> sum(l, PartitionLog::sizeInBytes)).baseUnit("bytes")
          .tag("topic", topic).description("Bytes of the topic's partition logs hosted on the broker")
          .register(registry));
      own(Gauge.builder("millrace.topic.partitions", logs, Set::size).tag("topic", topic)
          .description("Partitions of the topic hosted on the broker").register(registry));
    }

    private <M extends Meter> M own(M meter) {
      meters.add(LogMetrics.this.meters.own(meter));
      return meter;
    }
  }

  /** One hosted partition's handle. */
  private final class Hosted implements PartitionMetrics {
    final TopicMeters topic;
    final PartitionLog log;
    final List<Meter> own;
    private boolean closed;

    Hosted(TopicMeters topic, PartitionLog log, List<Meter> own) {
      this.topic = topic;
      this.log = log;
      this.own = own;
    }

    @Override
    public void recordAppend(int bytes, int records) {
      topic.producedBytes.increment(bytes);
      topic.producedRecords.increment(records);
    }

    @Override
    public void recordProduceFailure() {
      topic.failedProduces.increment();
    }

    @Override
    public void recordFetch(long bytes) {
      topic.fetchedBytes.increment(bytes);
    }

    @Override
    public void close() {
      synchronized (LogMetrics.this) {
        if (closed) {
          return;
        }
        closed = true;
        release(this);
      }
    }
  }
}
