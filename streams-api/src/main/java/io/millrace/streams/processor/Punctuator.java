package io.millrace.streams.processor;

/**
 * A scheduled callback; see {@link ProcessorContext#schedule}.
 *
 * <p>Threading: called on the task's stream thread; a punctuation that throws stops the task as a
 * processing exception does.
 */
@FunctionalInterface
public interface Punctuator {

  /**
   * @param timestamp the stream time or wall-clock time at which it fires
   */
  void punctuate(long timestamp);
}
