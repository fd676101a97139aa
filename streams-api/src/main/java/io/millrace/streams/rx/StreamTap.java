package io.millrace.streams.rx;

import io.millrace.streams.KeyValue;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.schedulers.Schedulers;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The bounded buffer between a topology's stream threads (which {@link #offer}, waiting while
 * it is full) and one subscriber (which takes from it on an IO thread, one item per request).
 */
final class StreamTap<K, V> {
  private final BlockingQueue<KeyValue<K, V>> queue;
  private final AtomicBoolean subscribed = new AtomicBoolean();

  StreamTap(int bufferSize) {
    if (bufferSize < 1) {
      throw new IllegalArgumentException("bufferSize must be at least 1, got " + bufferSize);
    }
    queue = new ArrayBlockingQueue<>(bufferSize);
  }

  void offer(K key, V value) {
    try {
      queue.put(KeyValue.pair(key, value));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while handing a record to the subscriber", e);
    }
  }

  /**
   * The buffer as a {@code Flowable} for one subscriber at a time: the claim is made when
   * {@code subscribe} is called (in call order), a second subscriber gets an {@code
   * IllegalStateException}, and the claim ends when the subscriber cancels or fails.
   */
  Flowable<KeyValue<K, V>> flowable() {
    return Flowable.defer(() -> {
      if (!subscribed.compareAndSet(false, true)) {
        return Flowable.<KeyValue<K, V>>error(new IllegalStateException("This stream already has a subscriber"));
      }
      return Flowable.<KeyValue<K, V>, StreamTap<K, V>>generate(
              () -> this,
              (tap, emitter) -> {
                KeyValue<K, V> next = null;
                while (next == null && !Thread.currentThread().isInterrupted()) {
                  next = queue.poll(100, TimeUnit.MILLISECONDS);
                }
                if (next != null) {
                  emitter.onNext(next);
                }
                return tap;
              })
          .subscribeOn(Schedulers.io())
          .doFinally(() -> subscribed.set(false));
    });
  }
}
