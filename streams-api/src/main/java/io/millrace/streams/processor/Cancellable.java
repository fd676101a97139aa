package io.millrace.streams.processor;

/** A handle to stop a scheduled punctuation. */
@FunctionalInterface
public interface Cancellable {
  void cancel();
}
