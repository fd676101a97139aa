package io.millrace.streams.processor;

/** A scheduled callback; see {@link ProcessorContext#schedule}. */
@FunctionalInterface
public interface Punctuator {

  /**
   * @param timestamp the stream time or wall-clock time at which it fires
   */
  void punctuate(long timestamp);
}
