package io.millrace.runtime.tools.perf;

import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;

/** Commits the perf producer's transaction every duration; does nothing for a non-transactional producer. */
final class Transactions {

  private final KafkaProducer<byte[], byte[]> producer;
  private final long durationNs;
  private long startedNs;

  private Transactions(KafkaProducer<byte[], byte[]> producer, long durationNs) {
    this.producer = producer;
    this.durationNs = durationNs;
  }

  static Transactions start(KafkaProducer<byte[], byte[]> producer, Properties props, Long durationMs) {
    if (!props.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG)) {
      return new Transactions(producer, -1);
    }
    Transactions tx = new Transactions(producer, (durationMs == null ? 3000 : durationMs) * 1_000_000L);
    producer.initTransactions();
    producer.beginTransaction();
    tx.startedNs = System.nanoTime();
    return tx;
  }

  void maybeCommit() {
    if (durationNs > 0 && System.nanoTime() - startedNs >= durationNs) {
      producer.commitTransaction();
      producer.beginTransaction();
      startedNs = System.nanoTime();
    }
  }

  void finish() {
    if (durationNs > 0) {
      producer.commitTransaction();
    }
  }
}
