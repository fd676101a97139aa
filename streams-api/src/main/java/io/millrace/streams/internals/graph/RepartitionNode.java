package io.millrace.streams.internals.graph;

import io.millrace.streams.internals.topology.InternalTopologyBuilder;
import io.millrace.streams.internals.topology.NodeDef;
import io.millrace.streams.processor.Processor;
import io.millrace.streams.processor.ProcessorContext;
import io.millrace.streams.processor.Record;
import io.millrace.streams.processor.StreamPartitioner;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;

/**
 * A trip through a repartition topic {@code <application.id>-<base>-repartition}: a filter that
 * drops null keys ({@code <base>-repartition-filter}), a sink ({@code -sink}), and a source
 * ({@code -source}) that starts a new sub-topology.
 */
public final class RepartitionNode extends GraphNode {
  private final String base;
  private final Serde<?> keySerde;
  private final Serde<?> valueSerde;
  private final int partitions;
  private final StreamPartitioner<?, ?> partitioner;
  private final boolean dropNullKeys;

  public RepartitionNode(String base, Serde<?> keySerde, Serde<?> valueSerde, int partitions,
      StreamPartitioner<?, ?> partitioner, boolean dropNullKeys) {
    super(base + "-repartition");
    this.base = base;
    this.keySerde = keySerde;
    this.valueSerde = valueSerde;
    this.partitions = partitions;
    this.partitioner = partitioner;
    this.dropNullKeys = dropNullKeys;
  }

  public String topic() {
    return base + "-repartition";
  }

  @Override
  public String outputName() {
    return topic() + "-source";
  }

  @Override
  public Set<String> sourceTopics() {
    return Set.of(topic());
  }

  /** Two repartitions of the same stream can share one topic if they write it the same way. */
  boolean sameWriteAs(RepartitionNode o) {
    return sameSerde(keySerde, o.keySerde)
        && sameSerde(valueSerde, o.valueSerde)
        && partitions == o.partitions
        && partitioner == null
        && o.partitioner == null
        && dropNullKeys == o.dropNullKeys;
  }

  /** Equal, or both the same stateless kafka-clients serde (which has no equals of its own). */
  private static boolean sameSerde(Serde<?> a, Serde<?> b) {
    if (Objects.equals(a, b)) {
      return true;
    }
    return a != null && b != null && a.getClass() == b.getClass()
        && a.getClass().getName().startsWith("org.apache.kafka.common.serialization.Serdes$");
  }

  @Override
  public void writeTo(InternalTopologyBuilder builder) {
    String[] parents = parentOutputs();
    if (dropNullKeys) {
      builder.addProcessor(topic() + "-filter", NullKeyFilter::new, parents);
      parents = new String[] {topic() + "-filter"};
    }
    builder.addInternalTopic(topic(), partitions);
    builder.addSink(new NodeDef.Sink(topic() + "-sink", topic(), null,
        keySerde == null ? null : keySerde.serializer(),
        valueSerde == null ? null : valueSerde.serializer(),
        partitioner, List.of(parents)));
    builder.addSource(new NodeDef.Source(outputName(), List.of(topic()),
        keySerde == null ? null : keySerde.deserializer(),
        valueSerde == null ? null : valueSerde.deserializer(),
        null, NodeDef.OffsetReset.EARLIEST));
  }

  /** Records without a key cannot be grouped or joined: Kafka Streams drops them here too. */
  static final class NullKeyFilter implements Processor<Object, Object, Object, Object> {
    private ProcessorContext<Object, Object> context;

    @Override
    public void init(ProcessorContext<Object, Object> context) {
      this.context = context;
    }

    @Override
    public void process(Record<Object, Object> record) {
      if (record.key() != null) {
        context.forward(record);
      }
    }
  }
}
