package io.millrace.streams.internals.topology;

import io.millrace.streams.processor.ProcessorSupplier;
import io.millrace.streams.processor.StreamPartitioner;
import io.millrace.streams.processor.TimestampExtractor;
import io.millrace.streams.processor.TopicNameExtractor;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/** A node of a physical topology as declared, before it is instantiated for a task. */
public sealed interface NodeDef permits NodeDef.Source, NodeDef.Processing, NodeDef.Sink {

  String name();

  List<String> parents();

  /** Reads topics; {@code null} serdes and extractor mean the application's defaults. */
  record Source(
      String name,
      List<String> topics,
      Deserializer<?> keyDeserializer,
      Deserializer<?> valueDeserializer,
      TimestampExtractor timestampExtractor,
      OffsetReset offsetReset)
      implements NodeDef {
    @Override
    public List<String> parents() {
      return List.of();
    }
  }

  /** Runs a processor made by {@code supplier}. */
  record Processing(String name, ProcessorSupplier<?, ?, ?, ?> supplier, List<String> parents)
      implements NodeDef {}

  /**
   * Writes to a topic: {@code topic} if fixed, else chosen per record by {@code topicExtractor}.
   */
  record Sink(
      String name,
      String topic,
      TopicNameExtractor<?, ?> topicExtractor,
      Serializer<?> keySerializer,
      Serializer<?> valueSerializer,
      StreamPartitioner<?, ?> partitioner,
      List<String> parents)
      implements NodeDef {}

  /** Where a source starts when the group has no committed offset. */
  enum OffsetReset {
    EARLIEST,
    LATEST,
    /** The application's {@code auto.offset.reset} (earliest unless set). */
    DEFAULT
  }
}
