package io.millrace.streams.kstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.streams.KeyValue;
import io.millrace.streams.StreamsBuilder;
import io.millrace.streams.state.WindowStore;
import io.millrace.streams.testing.TestInputTopic;
import io.millrace.streams.testing.TopologyTestDriver;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Windowed aggregations: tumbling, hopping, sliding, session; grace, late records, emit final. */
class WindowingTest {
  private static final Consumed<String, String> STRINGS = Consumed.with(Serdes.String(), Serdes.String());

  /** Writes windowed counts as "key@start-end" -> count. */
  private static void toOut(KTable<Windowed<String>, Long> counts) {
    counts.toStream()
        .map((wk, v) -> KeyValue.pair(wk.key() + "@" + wk.window().start() + "-" + wk.window().end(), v))
        .to("out", Produced.with(Serdes.String(), Serdes.Long()));
  }

  private static List<KeyValue<String, Long>> pipe(StreamsBuilder b, long... timestamps) {
    try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
      TestInputTopic<String, String> in = d.createInputTopic("in", new StringSerializer(), new StringSerializer());
      for (long ts : timestamps) {
        in.pipeInput("k", "v", ts);
      }
      return d.createOutputTopic("out", new StringDeserializer(), new LongDeserializer()).readKeyValuesToList();
    }
  }

  @Test
  void tumblingWindowsAcceptOutOfOrderRecordsWithinGraceAndDropLaterOnes() {
    StreamsBuilder b = new StreamsBuilder();
    toOut(b.stream("in", STRINGS).groupByKey()
        .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMillis(10), Duration.ofMillis(5)))
        .count(Materialized.<String, Long, WindowStore<org.apache.kafka.common.utils.Bytes, byte[]>>as("tumbling")
            .withRetention(Duration.ofMillis(100))));
    try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
      TestInputTopic<String, String> in = d.createInputTopic("in", new StringSerializer(), new StringSerializer());
      for (long ts : new long[] {0, 3, 12, 8, 20, 9}) {
        in.pipeInput("k", "v", ts);
      }
      assertThat(d.createOutputTopic("out", new StringDeserializer(), new LongDeserializer()).readKeyValuesToList())
          .containsExactly(KeyValue.pair("k@0-10", 1L), KeyValue.pair("k@0-10", 2L), KeyValue.pair("k@10-20", 1L),
              KeyValue.pair("k@0-10", 3L), KeyValue.pair("k@20-30", 1L));
      assertThat(d.metricTotal("dropped-records-total")).isEqualTo(1.0);
      WindowStore<String, Long> store = d.getWindowStore("tumbling");
      assertThat(store.fetch("k", 0L)).isEqualTo(3L);
      assertThat(store.fetch("k", 0L, 30L)).toIterable().extracting(KeyValue::value).containsExactly(3L, 1L, 1L);
    }
  }

  @Test
  void hoppingWindowsCountARecordInEveryWindowItFallsIn() {
    StreamsBuilder b = new StreamsBuilder();
    toOut(b.stream("in", STRINGS).groupByKey()
        .windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofMillis(10)).advanceBy(Duration.ofMillis(5)))
        .count());
    assertThat(pipe(b, 7)).containsExactly(KeyValue.pair("k@0-10", 1L), KeyValue.pair("k@5-15", 1L));
  }

  @Test
  void slidingWindowsExistWhereRecordsAre() {
    StreamsBuilder b = new StreamsBuilder();
    toOut(b.stream("in", STRINGS).groupByKey()
        .windowedBy(SlidingWindows.ofTimeDifferenceWithNoGrace(Duration.ofMillis(10))).count());
    assertThat(pipe(b, 10, 15)).containsExactly(
        KeyValue.pair("k@0-10", 1L), KeyValue.pair("k@11-21", 1L), KeyValue.pair("k@5-15", 2L));
  }

  @Test
  void slidingWindowsUpdateEveryWindowAnOutOfOrderRecordFallsIn() {
    StreamsBuilder b = new StreamsBuilder();
    toOut(b.stream("in", STRINGS).groupByKey()
        .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(Duration.ofMillis(10), Duration.ofMillis(20))).count());
    List<KeyValue<String, Long>> out = pipe(b, 10, 20, 15);
    // windows [0,10]{10} [11,21]{20,15} [10,20]{10,20,15} [5,15]{10,15} [16,26]{20}
    assertThat(out.subList(out.size() - 4, out.size())).containsExactlyInAnyOrder(
        KeyValue.pair("k@11-21", 2L), KeyValue.pair("k@10-20", 3L), KeyValue.pair("k@5-15", 2L),
        KeyValue.pair("k@16-26", 1L));
  }

  @Test
  void sessionsGrowAndMergeAndLateSessionsAreDropped() {
    StreamsBuilder b = new StreamsBuilder();
    toOut(b.stream("in", STRINGS).groupByKey()
        .windowedBy(SessionWindows.ofInactivityGapAndGrace(Duration.ofMillis(5), Duration.ofMillis(10)))
        .count(Materialized.as("sessions")));
    try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
      TestInputTopic<String, String> in = d.createInputTopic("in", new StringSerializer(), new StringSerializer());
      for (long ts : new long[] {0, 3, 20, 10, 7, 1}) {
        in.pipeInput("k", "v", ts);
      }
      List<KeyValue<String, Long>> out =
          d.createOutputTopic("out", new StringDeserializer(), new LongDeserializer()).readKeyValuesToList();
      assertThat(out).containsExactly(
          KeyValue.pair("k@0-0", 1L),
          KeyValue.pair("k@0-0", null), KeyValue.pair("k@0-3", 2L),
          KeyValue.pair("k@20-20", 1L),
          KeyValue.pair("k@10-10", 1L),
          KeyValue.pair("k@10-10", null), KeyValue.pair("k@7-10", 2L));
      // [0,3] closed at stream time 20 (its end plus grace is past), so the record at 7 does not
      // reopen it (as in Kafka Streams); the record at 1 would only extend closed [0,3]: dropped.
      assertThat(d.metricTotal("dropped-records-total")).isEqualTo(1.0);
      assertThat(d.<String, Long>getSessionStore("sessions").fetchSession("k", 7, 10)).isEqualTo(2L);
    }
  }

  @Test
  void suppressEmitsEachWindowOnceWhenItCloses() {
    StreamsBuilder b = new StreamsBuilder();
    toOut(b.stream("in", STRINGS).groupByKey()
        .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMillis(10), Duration.ofMillis(2)))
        .count()
        .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded())));
    assertThat(pipe(b, 1, 2, 11, 5, 13, 30)).containsExactly(
        KeyValue.pair("k@0-10", 3L), KeyValue.pair("k@10-20", 2L));
  }

  @Test
  void emitStrategyOnWindowCloseEmitsFinalResultsOnly() {
    StreamsBuilder b = new StreamsBuilder();
    toOut(b.stream("in", STRINGS).groupByKey()
        .windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofMillis(10)))
        .emitStrategy(EmitStrategy.onWindowClose())
        .count());
    assertThat(pipe(b, 1, 2, 3, 10, 25)).containsExactly(
        KeyValue.pair("k@0-10", 3L), KeyValue.pair("k@10-20", 1L));
  }

  @Test
  void sessionEmitOnCloseSkipsMergedAwaySessions() {
    StreamsBuilder b = new StreamsBuilder();
    toOut(b.stream("in", STRINGS).groupByKey()
        .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(Duration.ofMillis(5)))
        .emitStrategy(EmitStrategy.onWindowClose())
        .count());
    assertThat(pipe(b, 0, 3, 20)).containsExactly(KeyValue.pair("k@0-3", 2L));
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void suppressOnANonWindowedTableIsRejected() {
    // The types already forbid it; a raw-typed call still gets a clear error.
    StreamsBuilder b = new StreamsBuilder();
    KTable counts = b.stream("in", STRINGS).groupByKey().count();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> counts.suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded())))
        .hasMessageContaining("needs a windowed table");
  }

  @Test
  void windowedReduceAndAggregate() {
    StreamsBuilder b = new StreamsBuilder();
    KGroupedStream<String, String> g = b.stream("in", STRINGS).groupByKey();
    TimeWindows w = TimeWindows.ofSizeWithNoGrace(Duration.ofMillis(10));
    g.windowedBy(w).reduce((a, c) -> a + c, Materialized.<String, String, WindowStore<org.apache.kafka.common.utils.Bytes, byte[]>>as("r")
        .withValueSerde(Serdes.String()));
    g.windowedBy(w).aggregate(() -> 0L, (k, v, agg) -> agg + v.length(),
        Materialized.<String, Long, WindowStore<org.apache.kafka.common.utils.Bytes, byte[]>>as("a")
            .withValueSerde(Serdes.Long()));
    try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
      TestInputTopic<String, String> in = d.createInputTopic("in", new StringSerializer(), new StringSerializer());
      in.pipeInput("k", "x", 1);
      in.pipeInput("k", "yy", 2);
      assertThat(d.<String, String>getWindowStore("r").fetch("k", 0)).isEqualTo("xyy");
      assertThat(d.<String, Long>getWindowStore("a").fetch("k", 0)).isEqualTo(3L);
    }
  }

  @Test
  void windowRetentionShorterThanSizePlusGraceIsRejected() {
    StreamsBuilder b = new StreamsBuilder();
    TimeWindowedKStream<String, String> w = b.stream("in", STRINGS).groupByKey()
        .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMillis(10), Duration.ofMillis(5)));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> w.count(Materialized.<String, Long, WindowStore<org.apache.kafka.common.utils.Bytes, byte[]>>as("x")
            .withRetention(Duration.ofMillis(12))))
        .hasMessageContaining("at least the window size plus the grace period (15 ms)");
  }
}
