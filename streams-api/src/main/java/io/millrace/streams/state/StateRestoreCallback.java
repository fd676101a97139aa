package io.millrace.streams.state;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Replays changelog records into a store while it restores.
 *
 * <p>Threading: called on the stream thread that restores (or keeps up as a standby) the store.
 */
@FunctionalInterface
public interface StateRestoreCallback {

  /**
   * @param records changelog records in offset order; a null value is a deletion
   */
  void restoreBatch(List<ConsumerRecord<byte[], byte[]>> records);
}
