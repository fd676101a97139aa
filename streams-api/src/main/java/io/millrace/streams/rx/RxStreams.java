package io.millrace.streams.rx;

import io.millrace.streams.KeyValue;
import io.millrace.streams.kstream.KStream;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.schedulers.Schedulers;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * RxJava 3 at the edges of a topology.
 *
 * <ul>
 *   <li>{@link #fromTopic}: any topic (a topology's output, say) as a {@code Flowable} with
 *       back-pressure: the consumer only polls when the subscriber has asked for more than it
 *       has buffered, so a slow subscriber slows the reading, never overflows memory.
 *   <li>{@link #publish}: a {@code Flowable} as a source: its items are produced to a topic a
 *       topology reads, at most {@code maxInFlight} unacknowledged at a time (each
 *       acknowledgement requests one more item upstream).
 *   <li>{@link #asFlowable}: a stream's records handed in-process to a subscriber, through a
 *       bounded buffer that holds the stream thread back when the subscriber is slow.
 * </ul>
 *
 * <pre>{@code
 * RxStreams.publish(Flowable.fromIterable(lines).map(l -> KeyValue.pair((String) null, l)),
 *         "streams-plaintext-input", producerConfig, new StringSerializer(), new
 * StringSerializer())
 *     .blockingAwait();
 * RxStreams.fromTopic(consumerConfig, List.of("streams-wordcount-output"),
 *         new StringDeserializer(), new LongDeserializer())
 *     .take(10)
 *     .blockingSubscribe(r -> System.out.println(r.key() + " " + r.value()));
 * }</pre>
 *
 * <p>Threading: the methods return cold {@code Flowable}s and {@code Completable}s: nothing
 * happens until subscription, and each subscription has its own consumer or producer. Topics are
 * read on RxJava's IO scheduler; records are produced from the thread that delivers them. A
 * failure ends the stream with {@code onError}, and the client is closed.
 */
public final class RxStreams {
  private RxStreams() {}

  /**
   * The records of {@code topics}, read by a consumer made from {@code consumerConfig} when
   * subscribed and closed when cancelled or done. Reading happens on an IO thread.
   *
   * <p>With a {@code group.id} the consumer joins that group and commits: a record counts as
   * consumed once the subscriber's {@code onNext} returned for it, and is committed with the
   * next poll, so a later subscription resumes after it. Without one, every partition is read
   * from {@code auto.offset.reset} (earliest unless set) and nothing is committed.
   *
   * <p>The Flowable is cold: each subscription has its own consumer. It never completes by
   * itself (topics have no end); take what you need or cancel. Consumer errors end it with
   * {@code onError}.
   */
  public static <K, V> Flowable<ConsumerRecord<K, V>> fromTopic(
      Map<String, Object> consumerConfig, Collection<String> topics,
      Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
    Objects.requireNonNull(consumerConfig, "consumerConfig");
    List<String> ts = List.copyOf(Objects.requireNonNull(topics, "topics"));
    if (ts.isEmpty()) {
      throw new IllegalArgumentException("fromTopic needs at least one topic");
    }
    Objects.requireNonNull(keyDeserializer, "keyDeserializer");
    Objects.requireNonNull(valueDeserializer, "valueDeserializer");
    return Flowable.<ConsumerRecord<K, V>, TopicReader<K, V>>generate(
            () -> new TopicReader<>(consumerConfig, ts, keyDeserializer, valueDeserializer),
            (io.reactivex.rxjava3.functions.BiFunction<TopicReader<K, V>, io.reactivex.rxjava3.core.Emitter<ConsumerRecord<K, V>>, TopicReader<K, V>>)
                TopicReader::next,
            TopicReader::close)
        .subscribeOn(Schedulers.io());
  }

  /**
   * Produces every item of {@code source} to {@code topic}; completes when the source has
   * completed and every record is acknowledged, fails with the first send error (cancelling
   * the source). A producer is made from {@code producerConfig} per subscription.
   *
   * @param maxInFlight how many records may await acknowledgement; the source is asked for one
   *     more item per acknowledgement
   */
  public static <K, V> Completable publish(
      Flowable<KeyValue<K, V>> source, String topic, Map<String, Object> producerConfig,
      Serializer<K> keySerializer, Serializer<V> valueSerializer, int maxInFlight) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(producerConfig, "producerConfig");
    Objects.requireNonNull(keySerializer, "keySerializer");
    Objects.requireNonNull(valueSerializer, "valueSerializer");
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, got " + maxInFlight);
    }
    return Completable.create(emitter -> source.subscribe(
        new TopicPublisher<>(emitter, topic, producerConfig, keySerializer, valueSerializer, maxInFlight)));
  }

  /** {@link #publish} with 1000 records in flight. */
  public static <K, V> Completable publish(
      Flowable<KeyValue<K, V>> source, String topic, Map<String, Object> producerConfig,
      Serializer<K> keySerializer, Serializer<V> valueSerializer) {
    return publish(source, topic, producerConfig, keySerializer, valueSerializer, 1000);
  }

  /**
   * The records reaching this point of the topology, handed to one subscriber in-process.
   * Adds a terminal node to {@code stream} (call before building the topology).
   *
   * <p>Back-pressure: records wait in a buffer of {@code bufferSize}; when it is full the stream
   * thread waits for the subscriber, which holds back that thread's processing (and polling: a
   * subscriber that stops for longer than the consumer's {@code max.poll.interval.ms} takes the
   * thread out of the group). Records taken from the topology here are at most once: once in
   * the buffer they count as processed.
   *
   * <p>One subscriber at a time; a second gets {@code IllegalStateException}. The Flowable
   * completes when the application closes only if you cancel it; it delivers on an IO thread.
   */
  public static <K, V> Flowable<KeyValue<K, V>> asFlowable(KStream<K, V> stream, int bufferSize) {
    Objects.requireNonNull(stream, "stream");
    StreamTap<K, V> tap = new StreamTap<>(bufferSize);
    stream.foreach(tap::offer);
    return tap.flowable();
  }
}
