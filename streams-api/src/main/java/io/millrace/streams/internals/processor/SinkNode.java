package io.millrace.streams.internals.processor;

import io.millrace.streams.processor.Record;
import io.millrace.streams.processor.RecordContext;
import io.millrace.streams.processor.RecordMetadata;
import io.millrace.streams.processor.StreamPartitioner;
import io.millrace.streams.processor.TopicNameExtractor;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes the records it receives to a topic through the task's record collector.
 *
 * <p>Threading: its task's stream thread only.
 */
public final class SinkNode extends ProcessorNode {
  private final String topic;
  private final TopicNameExtractor<Object, Object> topicExtractor;
  private final Serializer<Object> keySerializer;
  private final Serializer<Object> valueSerializer;
  private final StreamPartitioner<Object, Object> partitioner;
  private ProcessorContextImpl context;

  @SuppressWarnings("unchecked")
  public SinkNode(
      String name,
      String topic,
      TopicNameExtractor<?, ?> topicExtractor,
      Serializer<Object> keySerializer,
      Serializer<Object> valueSerializer,
      StreamPartitioner<?, ?> partitioner) {
    super(name, null, Set.of());
    this.topic = topic;
    this.topicExtractor = (TopicNameExtractor<Object, Object>) topicExtractor;
    this.keySerializer = keySerializer;
    this.valueSerializer = valueSerializer;
    this.partitioner = (StreamPartitioner<Object, Object>) partitioner;
  }

  /** The fixed topic (full name), or null if chosen per record. */
  public String topic() {
    return topic;
  }

  @Override
  void init(ProcessorContextImpl ctx) {
    this.context = ctx;
  }

  @Override
  void process(Record<Object, Object> record) {
    String target = topic;
    if (target == null) {
      Optional<RecordMetadata> m = context.recordMetadata();
      RecordContext rc =
          new RecordContext(
              record.timestamp(),
              record.headers(),
              m.map(RecordMetadata::topic).orElse(null),
              m.map(RecordMetadata::partition).orElse(-1),
              m.map(RecordMetadata::offset).orElse(-1L));
      target = topicExtractor.extract(record.key(), record.value(), rc);
      if (target == null || target.isEmpty()) {
        throw new IllegalStateException("The topic name extractor of sink " + name() + " chose no topic");
      }
    }
    context
        .collector()
        .send(
            target,
            record.key(),
            record.value(),
            record.headers(),
            record.timestamp(),
            keySerializer,
            valueSerializer,
            partitioner,
            context.errorContext(name()));
  }
}
