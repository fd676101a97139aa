package io.millrace.engine.replication;

import io.millrace.engine.log.LogAppendInfo;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.Iterator;
import org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException;

/**
 * acks=all appends waiting for the high watermark, in offset order. An append completes when the
 * high watermark reaches the offset after its last record: with success if the ISR then has at
 * least {@code min.insync.replicas} members, else NOT_ENOUGH_REPLICAS_AFTER_APPEND (the records
 * are in the log, but fewer replicas than asked hold them). Timeouts and leadership changes fail
 * them from outside. Owned by the partition's owner context; not thread-safe.
 */
public final class AcksWaiters {

  private record Waiter(long requiredOffset, LogAppendInfo info, Promise<LogAppendInfo> promise) {}

  /** In increasing required offset: appends come in offset order. */
  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();

  /** Waits until the high watermark reaches {@code requiredOffset}. */
  public void add(long requiredOffset, LogAppendInfo info, Promise<LogAppendInfo> promise) {
    waiting.addLast(new Waiter(requiredOffset, info, promise));
  }

  /** Completes every append the high watermark has passed. */
  public void completeUpTo(long highWatermark, int isrSize, int minInsyncReplicas) {
    while (!waiting.isEmpty() && waiting.peekFirst().requiredOffset() <= highWatermark) {
      Waiter w = waiting.pollFirst();
      if (isrSize >= minInsyncReplicas) {
        w.promise().tryComplete(w.info());
      } else {
        w.promise().tryFail(new NotEnoughReplicasAfterAppendException("The ISR has " + isrSize
            + " replica(s), fewer than min.insync.replicas=" + minInsyncReplicas + ", after the append"));
      }
    }
  }

  /** Drops a waiter whose caller gave up (timed out). */
  public void remove(Promise<LogAppendInfo> promise) {
    for (Iterator<Waiter> it = waiting.iterator(); it.hasNext(); ) {
      if (it.next().promise() == promise) {
        it.remove();
        return;
      }
    }
  }

  /** Fails every waiter (the leadership moved, the partition is gone). */
  public void failAll(RuntimeException error) {
    while (!waiting.isEmpty()) {
      waiting.pollFirst().promise().tryFail(error);
    }
  }

  public int size() {
    return waiting.size();
  }
}
