package io.millrace.streams.errors;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each record that cannot be deserialized, bytes unchanged, to the dead-letter topic
 * named by {@code errors.dead.letter.queue.topic.name}, then goes on. The dead-letter record
 * keeps the original key, value, timestamp and headers, plus headers saying why and where from:
 * {@code __streams.errors.exception}, {@code __streams.errors.message}, {@code
 * __streams.errors.topic}, {@code __streams.errors.partition}, {@code __streams.errors.offset}.
 *
 * <p>The topic must exist (the runtime does not create it); if producing to it fails, the
 * production exception handler decides.
 *
 * <p>Threading: one instance per stream thread, made from the configuration and called on that
 * thread.
 */
public class DeadLetterQueueExceptionHandler implements DeserializationExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(DeadLetterQueueExceptionHandler.class);

  /** The configuration key naming the dead-letter topic. */
  public static final String TOPIC_CONFIG = "errors.dead.letter.queue.topic.name";

  private String topic;

  @Override
  public void configure(Map<String, ?> configs) {
    Object t = configs.get(TOPIC_CONFIG);
    if (t == null || t.toString().isBlank()) {
      throw new ConfigException(
          TOPIC_CONFIG, t, "DeadLetterQueueExceptionHandler needs a dead-letter topic name");
    }
    topic = t.toString();
  }

  @Override
  public HandlerResponse handle(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    log.warn(
        "Sending record {}-{} offset {} of task {} to dead-letter topic {}: cannot deserialize it",
        record.topic(),
        record.partition(),
        record.offset(),
        context.taskId(),
        topic,
        exception);
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    headers.add("__streams.errors.exception", utf8(exception.getClass().getName()));
    headers.add("__streams.errors.message", utf8(String.valueOf(exception.getMessage())));
    headers.add("__streams.errors.topic", utf8(record.topic()));
    headers.add("__streams.errors.partition", utf8(Integer.toString(record.partition())));
    headers.add("__streams.errors.offset", utf8(Long.toString(record.offset())));
    long ts = record.timestamp() >= 0 ? record.timestamp() : System.currentTimeMillis();
    return HandlerResponse.resumeWith(
        List.of(new ProducerRecord<>(topic, null, ts, record.key(), record.value(), headers)));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
