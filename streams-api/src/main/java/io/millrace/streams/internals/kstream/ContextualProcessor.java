package io.millrace.streams.internals.kstream;

import io.millrace.streams.internals.processor.ProcessorContextImpl;
import io.millrace.streams.processor.Processor;
import io.millrace.streams.processor.ProcessorContext;

/** A processor that keeps its context; the DSL's processors start from here. */
abstract class ContextualProcessor<KIn, VIn, KOut, VOut> implements Processor<KIn, VIn, KOut, VOut> {
  protected ProcessorContext<KOut, VOut> context;

  @Override
  public void init(ProcessorContext<KOut, VOut> context) {
    this.context = context;
  }

  /** The runtime's context, for dropped-record counts and forwarding from cache flushes. */
  protected ProcessorContextImpl internal() {
    return (ProcessorContextImpl) (Object) context;
  }

  protected String position() {
    return context.recordMetadata()
        .map(m -> m.topic() + "-" + m.partition() + " offset " + m.offset())
        .orElse("(punctuation)");
  }
}
