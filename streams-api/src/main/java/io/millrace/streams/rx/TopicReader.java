package io.millrace.streams.rx;

import io.reactivex.rxjava3.core.Emitter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The state of one {@link RxStreams#fromTopic} subscription: a consumer and the records of its
 * last poll not yet handed out. Called by RxJava once per requested item, always on the
 * subscription's one IO thread, so the consumer is only ever used by that thread.
 */
final class TopicReader<K, V> {
  private static final Duration POLL = Duration.ofMillis(100);
  private final KafkaConsumer<K, V> consumer;
  private final boolean committing;
  private final ArrayDeque<ConsumerRecord<K, V>> buffer = new ArrayDeque<>();
  private final Map<TopicPartition, OffsetAndMetadata> emitted = new HashMap<>();

  TopicReader(Map<String, Object> config, List<String> topics, Deserializer<K> keys, Deserializer<V> values) {
    Map<String, Object> c = new HashMap<>(config);
    committing = c.get(ConsumerConfig.GROUP_ID_CONFIG) != null;
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumer = new KafkaConsumer<>(c, keys, values);
    if (committing) {
      consumer.subscribe(topics);
    } else {
      List<TopicPartition> all = topics.stream()
          .flatMap(t -> consumer.partitionsFor(t).stream().map(p -> new TopicPartition(t, p.partition())))
          .toList();
      consumer.assign(all);
    }
  }

  /** Hands out one record, polling (and committing what was handed out) when none is buffered. */
  TopicReader<K, V> next(Emitter<ConsumerRecord<K, V>> emitter) {
    while (buffer.isEmpty()) {
      if (committing && !emitted.isEmpty()) {
        consumer.commitSync(emitted);
        emitted.clear();
      }
      consumer.poll(POLL).forEach(buffer::add);
      if (Thread.currentThread().isInterrupted()) {
        return this;
      }
    }
    ConsumerRecord<K, V> r = buffer.poll();
    emitter.onNext(r);
    emitted.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
    return this;
  }

  void close() {
    try {
      if (committing && !emitted.isEmpty()) {
        consumer.commitSync(emitted);
      }
    } finally {
      consumer.close();
    }
  }
}
