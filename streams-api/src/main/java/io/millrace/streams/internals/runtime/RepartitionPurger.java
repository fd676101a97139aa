package io.millrace.streams.internals.runtime;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes records of repartition topics below the offsets a thread committed, every {@code
 * repartition.purge.interval.ms}: they are consumed for good, and the topics would otherwise grow
 * forever. The deletion (DeleteRecords) is asynchronous; a failure only means the records stay
 * until the next purge.
 *
 * <p>Threading: one stream thread calls {@link #maybePurge}; the admin client completes on its own.
 */
final class RepartitionPurger {
  private static final Logger log = LoggerFactory.getLogger(RepartitionPurger.class);
  private final Admin admin;
  private final long intervalMs;
  private final String threadName;
  private long lastPurgeMs;

  RepartitionPurger(Admin admin, long intervalMs, String threadName) {
    this.admin = admin;
    this.intervalMs = intervalMs;
    this.threadName = threadName;
  }

  /** Purges below {@code committed} (the executor's repartition offsets since the last purge) if due. */
  void maybePurge(long nowMs, TaskExecutor executor) {
    if (nowMs - lastPurgeMs < intervalMs) {
      return;
    }
    lastPurgeMs = nowMs;
    Map<TopicPartition, RecordsToDelete> purge = new HashMap<>();
    executor.takeCommittedRepartitionOffsets().forEach((tp, offset) ->
        purge.put(tp, RecordsToDelete.beforeOffset(offset)));
    if (purge.isEmpty()) {
      return;
    }
    admin.deleteRecords(purge).all().whenComplete((ok, error) -> {
      if (error != null) {
        log.debug("{}: purging repartition topics failed; retrying later", threadName, error);
      }
    });
  }
}
