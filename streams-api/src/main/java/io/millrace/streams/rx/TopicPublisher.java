package io.millrace.streams.rx;

import io.millrace.streams.KeyValue;
import io.reactivex.rxjava3.core.CompletableEmitter;
import io.reactivex.rxjava3.core.FlowableSubscriber;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.reactivestreams.Subscription;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Subscribes to a {@code Flowable} for {@link RxStreams#publish}: asks for {@code maxInFlight}
 * items, sends each, and asks for one more per acknowledgement. Completes once the source has
 * completed and nothing is in flight.
 *
 * <p>Threading: items arrive on the source's thread, acknowledgements on the producer's IO
 * thread; counters are atomic and the terminal signal is sent once.
 */
final class TopicPublisher<K, V> implements FlowableSubscriber<KeyValue<K, V>> {
  private final CompletableEmitter emitter;
  private final String topic;
  private final KafkaProducer<K, V> producer;
  private final int maxInFlight;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean sourceDone = new AtomicBoolean();
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile Subscription subscription;

  TopicPublisher(CompletableEmitter emitter, String topic, Map<String, Object> config,
      Serializer<K> keys, Serializer<V> values, int maxInFlight) {
    this.emitter = emitter;
    this.topic = topic;
    this.producer = new KafkaProducer<>(config, keys, values);
    this.maxInFlight = maxInFlight;
  }

  @Override
  public void onSubscribe(Subscription s) {
    subscription = s;
    emitter.setCancellable(() -> {
      s.cancel();
      finish(null);
    });
    s.request(maxInFlight);
  }

  @Override
  public void onNext(KeyValue<K, V> kv) {
    inFlight.incrementAndGet();
    try {
      producer.send(new ProducerRecord<>(topic, kv.key(), kv.value()), (metadata, error) -> {
        if (error != null) {
          subscription.cancel();
          finish(error);
          return;
        }
        int left = inFlight.decrementAndGet();
        if (sourceDone.get() && left == 0) {
          finish(null);
        } else if (!finished.get()) {
          subscription.request(1);
        }
      });
    } catch (RuntimeException e) {
      subscription.cancel();
      finish(e);
    }
  }

  @Override
  public void onError(Throwable t) {
    finish(t);
  }

  @Override
  public void onComplete() {
    sourceDone.set(true);
    if (inFlight.get() == 0) {
      finish(null);
    }
  }

  private void finish(Throwable error) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    Thread closer = new Thread(() -> {
      producer.close(Duration.ofSeconds(30));
      if (error == null) {
        emitter.onComplete();
      } else {
        emitter.tryOnError(error);
      }
    }, "rx-publish-close-" + topic);
    closer.setDaemon(true);
    closer.start();
  }
}
