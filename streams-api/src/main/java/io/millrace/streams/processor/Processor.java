package io.millrace.streams.processor;

/**
 * A custom processing step: receives records one at a time, may read and write state stores
 * and forward any number of records downstream.
 *
 * <p>Threading: a processor instance belongs to one task and is only ever called from that
 * task's stream thread, so it needs no synchronisation. {@link #init} is called once before the
 * first {@link #process}, {@link #close} once when the task closes. A new instance is made per
 * task by the {@link ProcessorSupplier}.
 *
 * <p>Failure: an exception thrown from {@code process} or a punctuator stops the task; the
 * application's uncaught-exception handler decides what happens next.
 *
 * @param <KIn> input key type
 * @param <VIn> input value type
 * @param <KOut> forwarded key type
 * @param <VOut> forwarded value type
 */
public interface Processor<KIn, VIn, KOut, VOut> {

  /** Called once before processing starts; keep the context to forward and reach stores. */
  default void init(ProcessorContext<KOut, VOut> context) {}

  /** Processes one record. */
  void process(Record<KIn, VIn> record);

  /** Called once when the task closes. Do not forward from here. */
  default void close() {}
}
