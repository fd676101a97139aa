package io.millrace.streams.kstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.streams.KeyValue;
import io.millrace.streams.StreamsBuilder;
import io.millrace.streams.Topology;
import io.millrace.streams.testing.TestInputTopic;
import io.millrace.streams.testing.TopologyTestDriver;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Stream-table, table-table and windowed stream-stream joins. */
class JoinTest {
  private static final Consumed<String, String> STRINGS = Consumed.with(Serdes.String(), Serdes.String());
  private static final Produced<String, String> OUT = Produced.with(Serdes.String(), Serdes.String());

  private static List<KeyValue<String, String>> out(TopologyTestDriver d) {
    return d.createOutputTopic("out", new StringDeserializer(), new StringDeserializer()).readKeyValuesToList();
  }

  private static TestInputTopic<String, String> in(TopologyTestDriver d, String topic) {
    return d.createInputTopic(topic, new StringSerializer(), new StringSerializer());
  }

  @Test
  void streamTableJoinEnrichesWithTheCurrentTableValue() {
    StreamsBuilder b = new StreamsBuilder();
    KTable<String, String> customers = b.table("customers", STRINGS);
    KStream<String, String> orders = b.stream("orders", STRINGS);
    orders.join(customers, (o, c) -> o + "/" + c).to("out", OUT);
    Topology t = b.build();
    assertThat(t.describe().subtopologies()).hasSize(1);
    try (TopologyTestDriver d = new TopologyTestDriver(t)) {
      in(d, "customers").pipeInput("c1", "alice");
      in(d, "orders").pipeInput("c1", "o1");
      in(d, "orders").pipeInput("c2", "o2");
      in(d, "customers").pipeInput("c1", "alice2");
      in(d, "orders").pipeInput("c1", "o3");
      assertThat(out(d)).containsExactly(KeyValue.pair("c1", "o1/alice"), KeyValue.pair("c1", "o3/alice2"));
    }
  }

  @Test
  void streamTableLeftJoinPassesNullForMissingTableValues() {
    StreamsBuilder b = new StreamsBuilder();
    KTable<String, String> customers = b.table("customers", STRINGS);
    b.stream("orders", STRINGS).leftJoin(customers, (o, c) -> o + "/" + c).to("out", OUT);
    try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
      in(d, "orders").pipeInput("c2", "o2");
      assertThat(out(d)).containsExactly(KeyValue.pair("c2", "o2/null"));
    }
  }

  @Test
  void streamTableJoinAfterAKeyChangeRepartitionsTheStream() {
    StreamsBuilder b = new StreamsBuilder();
    KTable<String, String> customers = b.table("customers", STRINGS);
    b.stream("orders", STRINGS).selectKey((k, v) -> v.split(":")[0])
        .join(customers, (o, c) -> o + "/" + c, Joined.with(Serdes.String(), Serdes.String(), Serdes.String()))
        .to("out", OUT);
    Topology t = b.build();
    assertThat(t.describe().subtopologies()).hasSize(2);
    try (TopologyTestDriver d = new TopologyTestDriver(t)) {
      in(d, "customers").pipeInput("c1", "alice");
      in(d, "orders").pipeInput("order-9", "c1:book");
      assertThat(out(d)).containsExactly(KeyValue.pair("c1", "c1:book/alice"));
    }
  }

  @Test
  void tableTableJoinsInnerLeftAndOuter() {
    StreamsBuilder b = new StreamsBuilder();
    KTable<String, String> l = b.table("l", STRINGS);
    KTable<String, String> r = b.table("r", STRINGS);
    l.join(r, (a, c) -> a + "+" + c).toStream().to("inner", OUT);
    l.leftJoin(r, (a, c) -> a + "+" + c).toStream().to("left", OUT);
    l.outerJoin(r, (a, c) -> a + "+" + c, Materialized.<String, String, io.millrace.streams.state.KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]>>as("outer-store")
        .withKeySerde(Serdes.String()).withValueSerde(Serdes.String())).toStream().to("outer", OUT);
    try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
      in(d, "l").pipeInput("k", "a1");
      in(d, "r").pipeInput("k", "b1");
      in(d, "r").pipeInput("x", "b2");
      in(d, "l").pipeInput("k", null);
      assertThat(d.createOutputTopic("inner", new StringDeserializer(), new StringDeserializer()).readKeyValuesToList())
          .containsExactly(KeyValue.pair("k", "a1+b1"), KeyValue.pair("k", null));
      assertThat(d.createOutputTopic("left", new StringDeserializer(), new StringDeserializer()).readKeyValuesToList())
          .containsExactly(KeyValue.pair("k", "a1+null"), KeyValue.pair("k", "a1+b1"), KeyValue.pair("k", null));
      assertThat(d.createOutputTopic("outer", new StringDeserializer(), new StringDeserializer()).readKeyValuesToList())
          .containsExactly(KeyValue.pair("k", "a1+null"), KeyValue.pair("k", "a1+b1"), KeyValue.pair("x", "null+b2"),
              KeyValue.pair("k", "null+b1"));
      assertThat(d.<String, String>getKeyValueStore("outer-store").get("x")).isEqualTo("null+b2");
    }
  }

  @Test
  void streamStreamInnerJoinMatchesRecordsWithinTheWindow() {
    StreamsBuilder b = new StreamsBuilder();
    KStream<String, String> l = b.stream("l", STRINGS);
    KStream<String, String> r = b.stream("r", STRINGS);
    l.join(r, (a, c) -> a + "+" + c, JoinWindows.ofTimeDifferenceWithNoGrace(Duration.ofMillis(5)),
        StreamJoined.with(Serdes.String(), Serdes.String(), Serdes.String())).to("out", OUT);
    try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
      in(d, "l").pipeInput("a", "l1", 0);
      in(d, "r").pipeInput("a", "r1", 3);
      in(d, "r").pipeInput("a", "r2", 20);
      in(d, "l").pipeInput("a", "l2", 18);
      var records = d.createOutputTopic("out", new StringDeserializer(), new StringDeserializer()).readRecordsToList();
      assertThat(records).extracting(rec -> rec.value()).containsExactly("l1+r1", "l2+r2");
      assertThat(records).extracting(rec -> rec.timestamp()).containsExactly(3L, 20L);
    }
  }

  @Test
  void streamStreamLeftJoinEmitsUnmatchedRecordsOnlyAfterTheirWindowCloses() {
    StreamsBuilder b = new StreamsBuilder();
    KStream<String, String> l = b.stream("l", STRINGS);
    KStream<String, String> r = b.stream("r", STRINGS);
    l.leftJoin(r, (a, c) -> a + "+" + c, JoinWindows.ofTimeDifferenceWithNoGrace(Duration.ofMillis(5)),
        StreamJoined.with(Serdes.String(), Serdes.String(), Serdes.String())).to("out", OUT);
    try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
      in(d, "l").pipeInput("a", "l1", 0);
      in(d, "r").pipeInput("a", "r1", 3);
      in(d, "l").pipeInput("b", "l2", 4);
      assertThat(out(d)).containsExactly(KeyValue.pair("a", "l1+r1"));
      in(d, "r").pipeInput("z", "r9", 10);
      assertThat(out(d)).containsExactly(KeyValue.pair("b", "l2+null"));
    }
  }

  @Test
  void streamStreamOuterJoinEmitsUnmatchedRecordsOfBothSides() {
    StreamsBuilder b = new StreamsBuilder();
    KStream<String, String> l = b.stream("l", STRINGS);
    KStream<String, String> r = b.stream("r", STRINGS);
    l.outerJoin(r, (a, c) -> a + "+" + c, JoinWindows.ofTimeDifferenceAndGrace(Duration.ofMillis(5), Duration.ofMillis(1)),
        StreamJoined.<String, String, String>with(Serdes.String(), Serdes.String(), Serdes.String())
            .withStoreName("oj")).to("out", OUT);
    try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
      in(d, "r").pipeInput("z", "r9", 10);
      in(d, "l").pipeInput("y", "l9", 30);
      assertThat(out(d)).containsExactly(KeyValue.pair("z", "null+r9"));
      assertThat(d.producedTopicNames()).contains("test-driver-oj-this-join-store-changelog",
          "test-driver-oj-outer-shared-join-store-changelog");
    }
  }

  @Test
  void streamStreamJoinDropsRecordsOlderThanTheWindowAndGrace() {
    StreamsBuilder b = new StreamsBuilder();
    KStream<String, String> l = b.stream("l", STRINGS);
    KStream<String, String> r = b.stream("r", STRINGS);
    l.join(r, (a, c) -> a + "+" + c, JoinWindows.ofTimeDifferenceWithNoGrace(Duration.ofMillis(5))).to("out", OUT);
    try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
      in(d, "l").pipeInput("a", "l1", 100);
      in(d, "r").pipeInput("a", "r1", 10);
      assertThat(out(d)).isEmpty();
      assertThat(d.metricTotal("dropped-records-total")).isEqualTo(1.0);
    }
  }
}
