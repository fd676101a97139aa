package io.millrace.streams.internals.processor;

import io.millrace.streams.internals.topology.NodeDef;
import io.millrace.streams.processor.Record;
import io.millrace.streams.processor.TimestampExtractor;
import java.util.Set;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a task's records from its source topics and hands them to its children.
 *
 * <p>Threading: its task's stream thread only.
 */
public final class SourceNode extends ProcessorNode {
  private final Deserializer<Object> keyDeserializer;
  private final Deserializer<Object> valueDeserializer;
  private final TimestampExtractor timestampExtractor;
  private final NodeDef.OffsetReset offsetReset;
  private ProcessorContextImpl context;

  public SourceNode(
      String name,
      Deserializer<Object> keyDeserializer,
      Deserializer<Object> valueDeserializer,
      TimestampExtractor timestampExtractor,
      NodeDef.OffsetReset offsetReset) {
    super(name, null, Set.of());
    this.keyDeserializer = keyDeserializer;
    this.valueDeserializer = valueDeserializer;
    this.timestampExtractor = timestampExtractor;
    this.offsetReset = offsetReset;
  }

  public Deserializer<Object> keyDeserializer() {
    return keyDeserializer;
  }

  public Deserializer<Object> valueDeserializer() {
    return valueDeserializer;
  }

  public TimestampExtractor timestampExtractor() {
    return timestampExtractor;
  }

  public NodeDef.OffsetReset offsetReset() {
    return offsetReset;
  }

  @Override
  void init(ProcessorContextImpl ctx) {
    this.context = ctx;
  }

  @Override
  void process(Record<Object, Object> record) {
    context.forward(record);
  }
}
