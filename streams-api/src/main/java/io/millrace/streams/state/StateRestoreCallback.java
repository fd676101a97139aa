package io.millrace.streams.state;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Replays changelog records into a store while it restores. */
@FunctionalInterface
public interface StateRestoreCallback {

  /**
   * @param records changelog records in offset order; a null value is a deletion
   */
  void restoreBatch(List<ConsumerRecord<byte[], byte[]>> records);
}
