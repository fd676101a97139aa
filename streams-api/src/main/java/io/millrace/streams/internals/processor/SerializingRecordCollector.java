package io.millrace.streams.internals.processor;

import io.millrace.streams.errors.ErrorHandlerContext;
import io.millrace.streams.errors.HandlerResponse;
import io.millrace.streams.errors.ProductionExceptionHandler;
import io.millrace.streams.errors.StreamsException;
import io.millrace.streams.processor.StreamPartitioner;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serializes sink records (asking the production handler about failures) and partitions them
 * with a {@link StreamPartitioner} when one is set; subclasses deliver the bytes.
 *
 * <p>Threading: its task's stream thread; {@link #flush} blocks until everything sent is
 * acknowledged and throws the first fatal send failure as a {@code StreamsException}.
 */
public abstract class SerializingRecordCollector implements RecordCollector {
  private static final Logger log = LoggerFactory.getLogger(SerializingRecordCollector.class);
  protected final ProductionExceptionHandler productionHandler;

  protected SerializingRecordCollector(ProductionExceptionHandler productionHandler) {
    this.productionHandler = productionHandler;
  }

  @Override
  public <K, V> void send(
      String topic,
      K key,
      V value,
      Headers headers,
      long timestamp,
      Serializer<K> keySerializer,
      Serializer<V> valueSerializer,
      StreamPartitioner<? super K, ? super V> partitioner,
      ErrorHandlerContext errorContext) {
    byte[] k;
    byte[] v;
    try {
      k = keySerializer.serialize(topic, headers, key);
      v = valueSerializer.serialize(topic, headers, value);
    } catch (ClassCastException e) {
      throw new StreamsException(
          "A serializer (key: " + keySerializer.getClass().getName() + " / value: "
              + valueSerializer.getClass().getName() + ") does not fit the record's types (key: "
              + typeOf(key) + " / value: " + typeOf(value) + ") at sink " + errorContext.processorNodeName()
              + " writing " + topic + ". Give the right serdes (Produced.with, Grouped.with,"
              + " Materialized.with, ...) or change default.key.serde / default.value.serde.",
          e, errorContext.taskId());
    } catch (RuntimeException e) {
      HandlerResponse r = handle(errorContext, new ProducerRecord<>(topic, null, timestamp, null, null, headers), e);
      if (r.resumed()) {
        log.warn("Task {}: skipping a record to {} that cannot be serialized", errorContext.taskId(), topic, e);
        return;
      }
      throw new StreamsException(
          "Cannot serialize a record for " + topic + " at sink " + errorContext.processorNodeName()
              + " in task " + errorContext.taskId() + ": " + e.getMessage(), e, errorContext.taskId());
    }
    Integer partition = null;
    if (partitioner != null) {
      int count = partitionCount(topic);
      partition = partitioner.partition(topic, key, value, count);
      if (partition != null && (partition < 0 || partition >= count)) {
        throw new StreamsException(
            "The partitioner of sink " + errorContext.processorNodeName() + " chose partition "
                + partition + " of " + topic + ", which has " + count, null, errorContext.taskId());
      }
    }
    deliver(new ProducerRecord<>(topic, partition, timestamp, k, v, headers), errorContext);
  }

  private static String typeOf(Object o) {
    return o == null ? "unknown because null" : o.getClass().getName();
  }

  protected HandlerResponse handle(
      ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception e) {
    try {
      HandlerResponse r = productionHandler.handle(context, record, e);
      return r == null ? HandlerResponse.fail() : r;
    } catch (RuntimeException handlerFailure) {
      log.error("The production exception handler failed", handlerFailure);
      return HandlerResponse.fail();
    }
  }

  /** Partitions of {@code topic}, for a custom partitioner. */
  protected abstract int partitionCount(String topic);

  /** Sends (or keeps) the serialized record. */
  protected abstract void deliver(ProducerRecord<byte[], byte[]> record, ErrorHandlerContext context);
}
