package io.millrace.streams.internals.kstream;

import io.millrace.streams.internals.processor.ProcessorContextImpl;
import io.millrace.streams.processor.Processor;
import io.millrace.streams.processor.ProcessorContext;
import io.millrace.streams.processor.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A processor that keeps its context; the DSL's processors start from here. */
abstract class ContextualProcessor<KIn, VIn, KOut, VOut> implements Processor<KIn, VIn, KOut, VOut> {
  private static final Logger log = LoggerFactory.getLogger(ContextualProcessor.class);
  protected ProcessorContext<KOut, VOut> context;

  @Override
  public void init(ProcessorContext<KOut, VOut> context) {
    this.context = context;
  }

  /** The runtime's context, for dropped-record counts and forwarding from cache flushes. */
  protected ProcessorContextImpl internal() {
    return (ProcessorContextImpl) (Object) context;
  }

  /**
   * Aggregations and joins skip a record with a null key or value, as Kafka Streams does: it is
   * logged with the operator and the record's position and counted in {@code
   * dropped-records-total}. Returns true if the record was dropped.
   */
  protected boolean droppedForNullKeyOrValue(Record<?, ?> r, String operator, String name) {
    if (r.key() != null && r.value() != null) {
      return false;
    }
    log.warn("{}{}: dropping a record with a null key or value at {}", operator, name.isEmpty() ? "" : " " + name,
        position());
    internal().recordDropped();
    return true;
  }

  protected String position() {
    return context.recordMetadata()
        .map(m -> m.topic() + "-" + m.partition() + " offset " + m.offset())
        .orElse("(punctuation)");
  }
}
