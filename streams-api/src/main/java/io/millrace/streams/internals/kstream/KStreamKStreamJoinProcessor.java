package io.millrace.streams.internals.kstream;

import io.millrace.streams.KeyValue;
import io.millrace.streams.internals.SerdeResolver;
import io.millrace.streams.kstream.JoinWindows;
import io.millrace.streams.processor.ProcessorContext;
import io.millrace.streams.processor.ProcessorSupplier;
import io.millrace.streams.processor.Record;
import io.millrace.streams.state.KeyValueIterator;
import io.millrace.streams.state.KeyValueStore;
import io.millrace.streams.state.WindowStore;
import io.millrace.streams.state.WindowStoreIterator;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One side of a windowed stream-stream join. Each record is kept in this side's window store
 * and joined with the other side's records of the same key inside the join window.
 *
 * <p>Left and outer joins hold the records of their outer side(s) that found no partner in a
 * shared "outer" store, and emit them with a null partner once their window has closed (stream
 * time past their time plus the window and the grace period), as Kafka Streams does since 3.1:
 * no spurious null result for a record whose partner is merely late.
 *
 * <pre>
 * outer store key:   [timestamp int64][side int8: 0 left, 1 right][key bytes]
 * outer store value: [value bytes of that side]
 * </pre>
 */
final class KStreamKStreamJoinProcessor<K, V1, V2, VR> implements ProcessorSupplier<K, Object, K, VR> {
  private static final Logger log = LoggerFactory.getLogger(KStreamKStreamJoinProcessor.class);
  private final boolean isLeft;
  private final String thisStore;
  private final String otherStore;
  private final String outerStore;
  private final boolean thisOuter;
  private final JoinWindows windows;
  private final BiFunction<? super V1, ? super V2, ? extends VR> joiner;
  private final Serde<K> givenKeySerde;
  private final Serde<V1> givenLeftSerde;
  private final Serde<V2> givenRightSerde;

  KStreamKStreamJoinProcessor(boolean isLeft, String thisStore, String otherStore, String outerStore,
      boolean thisOuter, JoinWindows windows, BiFunction<? super V1, ? super V2, ? extends VR> joiner,
      Serde<K> keySerde, Serde<V1> leftSerde, Serde<V2> rightSerde) {
    this.isLeft = isLeft;
    this.thisStore = thisStore;
    this.otherStore = otherStore;
    this.outerStore = outerStore;
    this.thisOuter = thisOuter;
    this.windows = windows;
    this.joiner = joiner;
    this.givenKeySerde = keySerde;
    this.givenLeftSerde = leftSerde;
    this.givenRightSerde = rightSerde;
  }

  @Override
  public ContextualProcessor<K, Object, K, VR> get() {
    return new JoinSide();
  }

  private final class JoinSide extends ContextualProcessor<K, Object, K, VR> {
    private WindowStore<K, Object> own;
    private WindowStore<K, Object> other;
    private KeyValueStore<Bytes, byte[]> outer;
    private Serde<K> keySerde;
    private Serde<V1> leftSerde;
    private Serde<V2> rightSerde;
    private String topic;

    @Override
    public void init(ProcessorContext<K, VR> context) {
      super.init(context);
      own = context.getStateStore(thisStore);
      other = context.getStateStore(otherStore);
      if (outerStore != null) {
        outer = context.getStateStore(outerStore);
        String where = "the stream-stream join store " + outerStore;
        keySerde = SerdeResolver.key(givenKeySerde, context.appConfigs(), where);
        leftSerde = SerdeResolver.value(givenLeftSerde, context.appConfigs(), where);
        rightSerde = SerdeResolver.value(givenRightSerde, context.appConfigs(), where);
        topic = context.applicationId() + "-" + outerStore + "-changelog";
      }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Record<K, Object> r) {
      if (droppedForNullKeyOrValue(r, "Stream-stream join", "")) {
        return;
      }
      long t = r.timestamp();
      long streamTime = context.currentStreamTimeMs();
      if (t < streamTime - windows.sizeMs() - windows.gracePeriodMs()) {
        log.warn("Stream-stream join: dropping a record at {} with timestamp {}: its join window closed"
            + " (stream time {}, grace {} ms)", position(), t, streamTime, windows.gracePeriodMs());
        internal().recordLateDropped();
        return;
      }
      own.put(r.key(), r.value(), t);
      long from = Math.max(0, t - (isLeft ? windows.beforeMs() : windows.afterMs()));
      long to = t + (isLeft ? windows.afterMs() : windows.beforeMs());
      boolean matched = false;
      byte[] keyBytes = outer == null ? null : keySerde.serializer().serialize(topic, r.key());
      try (WindowStoreIterator<Object> it = other.fetch(r.key(), from, to)) {
        while (it.hasNext()) {
          KeyValue<Long, Object> o = it.next();
          matched = true;
          if (outer != null) {
            outer.delete(outerKey(o.key(), !isLeft, keyBytes));
          }
          VR joined = isLeft
              ? joiner.apply((V1) r.value(), (V2) o.value())
              : joiner.apply((V1) o.value(), (V2) r.value());
          context.forward(new Record<>(r.key(), joined, Math.max(t, o.key()), r.headers()));
        }
      }
      if (!matched && thisOuter) {
        byte[] vb = isLeft
            ? leftSerde.serializer().serialize(topic, (V1) r.value())
            : rightSerde.serializer().serialize(topic, (V2) r.value());
        outer.put(outerKey(t, isLeft, keyBytes), vb);
      }
      if (outer != null) {
        emitClosedUnmatched(streamTime);
      }
    }

    private Bytes outerKey(long ts, boolean left, byte[] key) {
      return Bytes.wrap(ByteBuffer.allocate(9 + key.length).putLong(ts).put((byte) (left ? 0 : 1)).put(key).array());
    }

    /** Emits unmatched outer-side records whose window has closed, with a null partner. */
    private void emitClosedUnmatched(long streamTime) {
      long minWait = Math.min(windows.afterMs(), windows.beforeMs()) + windows.gracePeriodMs();
      List<Bytes> done = new ArrayList<>();
      try (KeyValueIterator<Bytes, byte[]> it = outer.all()) {
        while (it.hasNext()) {
          KeyValue<Bytes, byte[]> e = it.next();
          ByteBuffer b = ByteBuffer.wrap(e.key().get());
          long ts = b.getLong();
          if (ts + minWait >= streamTime) {
            break;
          }
          boolean left = b.get() == 0;
          long wait = (left ? windows.afterMs() : windows.beforeMs()) + windows.gracePeriodMs();
          if (ts + wait >= streamTime) {
            continue;
          }
          byte[] k = new byte[b.remaining()];
          b.get(k);
          K key = keySerde.deserializer().deserialize(topic, k);
          VR joined = left
              ? joiner.apply(leftSerde.deserializer().deserialize(topic, e.value()), null)
              : joiner.apply(null, rightSerde.deserializer().deserialize(topic, e.value()));
          done.add(e.key());
          context.forward(new Record<>(key, joined, ts));
        }
      }
      done.forEach(outer::delete);
    }
  }
}
