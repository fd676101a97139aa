package io.millrace.streams.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.streams.KeyValue;
import io.millrace.streams.StreamsBuilder;
import io.millrace.streams.Topology;
import io.millrace.streams.errors.StreamsException;
import io.millrace.streams.kstream.Consumed;
import io.millrace.streams.kstream.Produced;
import io.millrace.streams.state.KeyValueIterator;
import io.millrace.streams.state.KeyValueStore;
import io.millrace.streams.state.StoreBuilder;
import io.millrace.streams.state.Stores;
import io.millrace.streams.testing.TestInputTopic;
import io.millrace.streams.testing.TopologyTestDriver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Custom processors: stores, punctuation on both clocks, named children, metadata. */
class ProcessorApiTest {

  /** Sums values per key; every 10 ms of stream time emits all sums; on wall clock, a tick. */
  static final class Summer implements Processor<String, Long, String, Long> {
    private ProcessorContext<String, Long> context;
    private KeyValueStore<String, Long> sums;

    @Override
    public void init(ProcessorContext<String, Long> context) {
      this.context = context;
      sums = context.getStateStore("sums");
      context.schedule(Duration.ofMillis(10), PunctuationType.STREAM_TIME, ts -> {
        try (KeyValueIterator<String, Long> it = sums.all()) {
          while (it.hasNext()) {
            KeyValue<String, Long> kv = it.next();
            context.forward(new Record<>(kv.key(), kv.value(), ts), "sums-out");
          }
        }
      });
      context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME,
          ts -> context.forward(new Record<>("tick", ts, ts), "ticks-out"));
    }

    @Override
    public void process(Record<String, Long> r) {
      Long old = sums.get(r.key());
      sums.put(r.key(), (old == null ? 0 : old) + r.value());
      assertThat(context.recordMetadata()).hasValueSatisfying(m -> assertThat(m.topic()).isEqualTo("in"));
    }
  }

  private static Topology summerTopology() {
    StoreBuilder<KeyValueStore<String, Long>> store =
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("sums"), Serdes.String(), Serdes.Long());
    return new Topology()
        .addSource("in-source", new StringDeserializer(), new LongDeserializer(), "in")
        .addProcessor("summer", Summer::new, "in-source")
        .addStateStore(store, "summer")
        .addSink("sums-out", "sums", new StringSerializer(), new LongSerializer(), "summer")
        .addSink("ticks-out", "ticks", new StringSerializer(), new LongSerializer(), "summer");
  }

  @Test
  void streamTimePunctuationFiresAsRecordsAdvanceTime() {
    try (TopologyTestDriver d = new TopologyTestDriver(summerTopology(), Instant.ofEpochMilli(0))) {
      TestInputTopic<String, Long> in = d.createInputTopic("in", new StringSerializer(), new LongSerializer());
      in.pipeInput("a", 1L, 0);
      in.pipeInput("a", 2L, 5);
      in.pipeInput("b", 3L, 12);
      List<KeyValue<String, Long>> out =
          d.createOutputTopic("sums", new StringDeserializer(), new LongDeserializer()).readKeyValuesToList();
      // fires at 0 (after a=1) and at 12 (grid 10, after b=3)
      assertThat(out).containsExactly(KeyValue.pair("a", 1L), KeyValue.pair("a", 3L), KeyValue.pair("b", 3L));
      assertThat(d.<String, Long>getKeyValueStore("sums").get("a")).isEqualTo(3L);
    }
  }

  @Test
  void wallClockPunctuationFiresWhenTheDriverClockAdvances() {
    try (TopologyTestDriver d = new TopologyTestDriver(summerTopology(), Instant.ofEpochMilli(0))) {
      var ticks = d.createOutputTopic("ticks", new StringDeserializer(), new LongDeserializer());
      d.advanceWallClockTime(Duration.ofMillis(999));
      assertThat(ticks.isEmpty()).isTrue();
      d.advanceWallClockTime(Duration.ofMillis(1));
      assertThat(ticks.readValue()).isEqualTo(1000L);
      d.advanceWallClockTime(Duration.ofSeconds(5));
      assertThat(ticks.readValuesToList()).containsExactly(6000L);
    }
  }

  @Test
  void cancelledPunctuationStopsFiring() {
    List<Long> fired = new ArrayList<>();
    Topology t = new Topology()
        .addSource("s", new StringDeserializer(), new StringDeserializer(), "in")
        .addProcessor("p", () -> new Processor<String, String, String, String>() {
          private Cancellable handle;

          @Override
          public void init(ProcessorContext<String, String> context) {
            handle = context.schedule(Duration.ofMillis(1), PunctuationType.WALL_CLOCK_TIME, fired::add);
          }

          @Override
          public void process(Record<String, String> record) {
            handle.cancel();
          }
        }, "s");
    try (TopologyTestDriver d = new TopologyTestDriver(t, Instant.ofEpochMilli(0))) {
      d.advanceWallClockTime(Duration.ofMillis(1));
      d.createInputTopic("in", new StringSerializer(), new StringSerializer()).pipeInput("k", "v");
      d.advanceWallClockTime(Duration.ofMillis(10));
      assertThat(fired).containsExactly(1L);
    }
  }

  @Test
  void dslProcessConnectsNamedStoresAndSupplierStores() {
    StreamsBuilder b = new StreamsBuilder();
    b.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("seen"), Serdes.String(), Serdes.Long()));
    b.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
        .process(() -> new Processor<String, String, String, String>() {
          private ProcessorContext<String, String> ctx;
          private KeyValueStore<String, Long> seen;

          @Override
          public void init(ProcessorContext<String, String> context) {
            ctx = context;
            seen = context.getStateStore("seen");
          }

          @Override
          public void process(Record<String, String> r) {
            if (seen.putIfAbsent(r.key(), r.timestamp()) == null) {
              ctx.forward(r);
            }
          }
        }, "seen")
        .to("out", Produced.with(Serdes.String(), Serdes.String()));
    try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
      TestInputTopic<String, String> in = d.createInputTopic("in", new StringSerializer(), new StringSerializer());
      in.pipeInput("a", "1");
      in.pipeInput("a", "2");
      in.pipeInput("b", "3");
      assertThat(d.createOutputTopic("out", new StringDeserializer(), new StringDeserializer()).readValuesToList())
          .containsExactly("1", "3");
    }
  }

  @Test
  void supplierDeclaredStoresAreAddedAndConnected() {
    StoreBuilder<KeyValueStore<String, String>> last =
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("last"), Serdes.String(), Serdes.String());
    ProcessorSupplier<String, String, String, String> supplier = new ProcessorSupplier<>() {
      @Override
      public Processor<String, String, String, String> get() {
        return new Processor<>() {
          private KeyValueStore<String, String> store;

          @Override
          public void init(ProcessorContext<String, String> context) {
            store = context.getStateStore("last");
          }

          @Override
          public void process(Record<String, String> r) {
            store.put(r.key(), r.value());
          }
        };
      }

      @Override
      public Set<StoreBuilder<?>> stores() {
        return Set.of(last);
      }
    };
    StreamsBuilder b = new StreamsBuilder();
    b.stream("in", Consumed.with(Serdes.String(), Serdes.String())).process(supplier);
    try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
      d.createInputTopic("in", new StringSerializer(), new StringSerializer()).pipeInput("k", "v");
      assertThat(d.<String, String>getKeyValueStore("last").get("k")).isEqualTo("v");
    }
  }

  @Test
  void aStoreThatIsNotConnectedCannotBeReached() {
    Topology t = new Topology()
        .addSource("s", new StringDeserializer(), new StringDeserializer(), "in")
        .addProcessor("p", () -> new Processor<String, String, String, String>() {
          @Override
          public void init(ProcessorContext<String, String> context) {
            context.getStateStore("other");
          }

          @Override
          public void process(Record<String, String> record) {}
        }, "s")
        .addProcessor("q", () -> record -> {}, "s")
        .addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("other"), Serdes.String(),
            Serdes.String()), "q");
    assertThatThrownBy(() -> new TopologyTestDriver(t).close())
        .isInstanceOf(StreamsException.class)
        .hasMessageContaining("Processor p has no access to store other");
  }

  @Test
  void forwardToAMissingChildFails() {
    Topology t = new Topology()
        .addSource("s", new StringDeserializer(), new StringDeserializer(), "in")
        .addProcessor("p", () -> new Processor<String, String, String, String>() {
          private ProcessorContext<String, String> c;

          @Override
          public void init(ProcessorContext<String, String> context) {
            c = context;
          }

          @Override
          public void process(Record<String, String> r) {
            c.forward(r, "nobody");
          }
        }, "s");
    try (TopologyTestDriver d = new TopologyTestDriver(t)) {
      TestInputTopic<String, String> in = d.createInputTopic("in", new StringSerializer(), new StringSerializer());
      assertThatThrownBy(() -> in.pipeInput("k", "v"))
          .isInstanceOf(StreamsException.class)
          .hasMessageContaining("processor p")
          .hasMessageContaining("has no child named nobody");
    }
  }
}
