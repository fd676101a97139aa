package io.millrace.streams.internals.kstream;

import io.millrace.streams.KeyValue;
import io.millrace.streams.errors.StreamsException;
import io.millrace.streams.internals.SerdeResolver;
import io.millrace.streams.kstream.Window;
import io.millrace.streams.kstream.Windowed;
import io.millrace.streams.processor.ProcessorContext;
import io.millrace.streams.processor.ProcessorSupplier;
import io.millrace.streams.processor.PunctuationType;
import io.millrace.streams.processor.Record;
import io.millrace.streams.state.KeyValueIterator;
import io.millrace.streams.state.KeyValueStore;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;

/**
 * Emit-final for windowed tables: keeps the latest value of each open window in a buffer store
 * and forwards it once, when stream time reaches the window's end plus the grace period.
 *
 * <pre>
 * buffer key:   [window end int64][window start int64][key bytes]   (sorted by end: due first)
 * buffer value: [timestamp int64][present int8][value bytes]
 * </pre>
 *
 * The buffer has a changelog, so a moved task still emits every window once it closes.
 */
final class KTableSuppressProcessor<K, V> implements ProcessorSupplier<Windowed<K>, Change<V>, Windowed<K>, Change<V>> {
  private final String bufferStoreName;
  private final long graceMs;
  private final long maxRecords;
  private final Serde<K> givenKeySerde;
  private final Serde<V> givenValueSerde;

  KTableSuppressProcessor(String bufferStoreName, long graceMs, long maxRecords, Serde<K> keySerde, Serde<V> valueSerde) {
    this.bufferStoreName = bufferStoreName;
    this.graceMs = graceMs;
    this.maxRecords = maxRecords;
    this.givenKeySerde = keySerde;
    this.givenValueSerde = valueSerde;
  }

  @Override
  public ContextualProcessor<Windowed<K>, Change<V>, Windowed<K>, Change<V>> get() {
    return new Suppressor();
  }

  /**
   * Buffers each window's latest update under {@code [end][start][key]}, so that iterating the
   * buffer meets windows in the order they close, and forwards those whose grace has passed.
   */
  private final class Suppressor extends ContextualProcessor<Windowed<K>, Change<V>, Windowed<K>, Change<V>> {
    private KeyValueStore<Bytes, byte[]> buffer;
    private Serde<K> keySerde;
    private Serde<V> valueSerde;
    private String topic;

    @Override
    public void init(ProcessorContext<Windowed<K>, Change<V>> context) {
      super.init(context);
      buffer = context.getStateStore(bufferStoreName);
      String where = "the suppression buffer " + bufferStoreName;
      keySerde = SerdeResolver.key(givenKeySerde, context.appConfigs(), where);
      valueSerde = SerdeResolver.value(givenValueSerde, context.appConfigs(), where);
      topic = context.applicationId() + "-" + bufferStoreName + "-changelog";
      context.schedule(Duration.ofMillis(1), PunctuationType.STREAM_TIME, now -> evict());
    }

    @Override
    public void process(Record<Windowed<K>, Change<V>> r) {
      Window w = r.key().window();
      byte[] k = keySerde.serializer().serialize(topic, r.key().key());
      Bytes bufferKey = Bytes.wrap(ByteBuffer.allocate(16 + k.length).putLong(w.end()).putLong(w.start()).put(k).array());
      V v = r.value().newValue();
      byte[] vb = v == null ? new byte[0] : valueSerde.serializer().serialize(topic, v);
      buffer.put(bufferKey, ByteBuffer.allocate(9 + vb.length)
          .putLong(r.timestamp()).put((byte) (v == null ? 0 : 1)).put(vb).array());
      evict();
      if (buffer.approximateNumEntries() > maxRecords) {
        throw new StreamsException("The suppression buffer " + bufferStoreName + " holds more than "
            + maxRecords + " windows (Suppressed.BufferConfig.maxRecords); raise the limit or shorten"
            + " the windows' grace period");
      }
    }

    private void evict() {
      long now = context.currentStreamTimeMs();
      List<Bytes> emitted = new ArrayList<>();
      try (KeyValueIterator<Bytes, byte[]> it = buffer.all()) {
        while (it.hasNext()) {
          KeyValue<Bytes, byte[]> e = it.next();
          ByteBuffer kb = ByteBuffer.wrap(e.key().get());
          long end = kb.getLong();
          if (end + graceMs > now) {
            break;
          }
          long start = kb.getLong();
          byte[] k = new byte[kb.remaining()];
          kb.get(k);
          ByteBuffer vb = ByteBuffer.wrap(e.value());
          long ts = vb.getLong();
          boolean present = vb.get() == 1;
          emitted.add(e.key());
          if (present) {
            byte[] v = new byte[vb.remaining()];
            vb.get(v);
            K key = keySerde.deserializer().deserialize(topic, k);
            V value = valueSerde.deserializer().deserialize(topic, v);
            context.forward(new Record<>(new Windowed<>(key, new Window(start, end)), new Change<>(value, null), ts));
          }
        }
      }
      emitted.forEach(buffer::delete);
    }
  }
}
