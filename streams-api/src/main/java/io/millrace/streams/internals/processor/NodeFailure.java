package io.millrace.streams.internals.processor;

import io.millrace.streams.errors.StreamsException;

/** An exception thrown by a processor, tagged with the node that threw it. */
final class NodeFailure extends StreamsException {
  private final String node;

  NodeFailure(String node, RuntimeException cause) {
    super(cause.getMessage(), cause);
    this.node = node;
  }

  String node() {
    return node;
  }
}
