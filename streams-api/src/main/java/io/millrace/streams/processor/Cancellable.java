package io.millrace.streams.processor;

/**
 * A handle to stop a scheduled punctuation.
 *
 * <p>Threading: call it on the task's stream thread (from the processor or a punctuation).
 */
@FunctionalInterface
public interface Cancellable {
  void cancel();
}
