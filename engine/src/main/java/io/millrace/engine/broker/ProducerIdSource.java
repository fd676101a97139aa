package io.millrace.engine.broker;

import io.millrace.engine.metadata.Controller;
import io.millrace.engine.metadata.Controller.ProducerIdBlock;
import io.vertx.core.Future;

/**
 * Hands out producer ids one by one from blocks the controller allocates and persists, so an id
 * is never handed out twice, even across restarts (ids left in a block at shutdown are skipped).
 *
 * <p>Thread-safe: callers on any event loop; at most one block request is in flight, and every
 * caller that finds the block used up waits for it, then tries again.
 */
public final class ProducerIdSource {

  private final Controller controller;
  private ProducerIdBlock block;
  private long next;
  private Future<ProducerIdBlock> refill;

  public ProducerIdSource(Controller controller) {
    this.controller = controller;
  }

  /** The next producer id. Fails only when the controller cannot allocate a block. */
  public synchronized Future<Long> nextProducerId() {
    if (block != null && next <= block.lastId()) {
      return Future.succeededFuture(next++);
    }
    if (refill == null) {
      refill = controller.allocateProducerIds().andThen(ar -> {
        synchronized (this) {
          refill = null;
          if (ar.succeeded()) {
            block = ar.result();
            next = block.firstId();
          }
        }
      });
    }
    return refill.compose(b -> nextProducerId());
  }
}
