package io.millrace.streams.kstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.streams.KeyValue;
import io.millrace.streams.StreamsBuilder;
import io.millrace.streams.StreamsConfig;
import io.millrace.streams.Topology;
import io.millrace.streams.state.KeyValueStore;
import io.millrace.streams.testing.TestInputTopic;
import io.millrace.streams.testing.TestOutputTopic;
import io.millrace.streams.testing.TopologyTestDriver;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

/** Grouped aggregations, tables and their operators through the test driver. */
class AggregationAndTableTest {
  private static final Consumed<String, String> STRINGS = Consumed.with(Serdes.String(), Serdes.String());

  private static Properties stringDefaults() {
    Properties p = new Properties();
    p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    return p;
  }

  @Test
  void groupByKeyCountNeedsNoRepartition() {
    StreamsBuilder b = new StreamsBuilder();
    b.stream("in", STRINGS).groupByKey().count().toStream().to("out", Produced.with(Serdes.String(), Serdes.Long()));
    Topology t = b.build();
    assertThat(t.describe().subtopologies()).hasSize(1);
    try (TopologyTestDriver d = new TopologyTestDriver(t)) {
      d.createInputTopic("in", new StringSerializer(), new StringSerializer())
          .pipeKeyValueList(List.of(KeyValue.pair("a", "x"), KeyValue.pair("b", "y"), KeyValue.pair("a", "z")));
      assertThat(d.createOutputTopic("out", new StringDeserializer(), new LongDeserializer()).readKeyValuesToList())
          .containsExactly(KeyValue.pair("a", 1L), KeyValue.pair("b", 1L), KeyValue.pair("a", 2L));
    }
  }

  @Test
  void reduceCombinesValuesPerKey() {
    StreamsBuilder b = new StreamsBuilder();
    b.stream("in", STRINGS).groupByKey().reduce((a, c) -> a + c, Materialized.as("concat"))
        .toStream().to("out", Produced.with(Serdes.String(), Serdes.String()));
    try (TopologyTestDriver d = new TopologyTestDriver(b.build(), stringDefaults())) {
      d.createInputTopic("in", new StringSerializer(), new StringSerializer())
          .pipeKeyValueList(List.of(KeyValue.pair("a", "x"), KeyValue.pair("a", "y"), KeyValue.pair("b", "z")));
      assertThat(d.createOutputTopic("out", new StringDeserializer(), new StringDeserializer()).readKeyValuesToMap())
          .isEqualTo(Map.of("a", "xy", "b", "z"));
      KeyValueStore<String, String> store = d.getKeyValueStore("concat");
      assertThat(store.get("a")).isEqualTo("xy");
    }
  }

  @Test
  void aggregateFoldsFromTheInitializer() {
    StreamsBuilder b = new StreamsBuilder();
    b.stream("in", STRINGS).groupByKey()
        .aggregate(() -> 0L, (k, v, agg) -> agg + v.length(),
            Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("lengths").withValueSerde(Serdes.Long()))
        .toStream().to("out", Produced.with(Serdes.String(), Serdes.Long()));
    try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
      d.createInputTopic("in", new StringSerializer(), new StringSerializer())
          .pipeKeyValueList(List.of(KeyValue.pair("a", "xx"), KeyValue.pair("a", "yyy")));
      assertThat(d.createOutputTopic("out", new StringDeserializer(), new LongDeserializer()).readValuesToList())
          .containsExactly(2L, 5L);
    }
  }

  @Test
  void nullKeysAndValuesAreDroppedAndCounted() {
    StreamsBuilder b = new StreamsBuilder();
    b.stream("in", STRINGS).groupByKey().count().toStream().to("out", Produced.with(Serdes.String(), Serdes.Long()));
    try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
      TestInputTopic<String, String> in = d.createInputTopic("in", new StringSerializer(), new StringSerializer());
      in.pipeInput(null, "v");
      in.pipeInput("k", null);
      in.pipeInput("k", "v");
      assertThat(d.createOutputTopic("out", new StringDeserializer(), new LongDeserializer()).readKeyValuesToList())
          .containsExactly(KeyValue.pair("k", 1L));
      assertThat(d.metricTotal("dropped-records-total")).isEqualTo(2.0);
    }
  }

  @Test
  void cachingDeduplicatesUpdatesUntilCommit() {
    // The driver commits after every piped record, so a cache shows one update per input here;
    // with caching off every update also reaches the changelog at once. Both must agree.
    StreamsBuilder b = new StreamsBuilder();
    b.stream("in", STRINGS).groupByKey()
        .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("c").withCachingDisabled())
        .toStream().to("out", Produced.with(Serdes.String(), Serdes.Long()));
    try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
      d.createInputTopic("in", new StringSerializer(), new StringSerializer())
          .pipeKeyValueList(List.of(KeyValue.pair("a", "1"), KeyValue.pair("a", "2")));
      assertThat(d.createOutputTopic("out", new StringDeserializer(), new LongDeserializer()).readValuesToList())
          .containsExactly(1L, 2L);
      TestOutputTopic<String, Long> changelog =
          d.createOutputTopic("test-driver-c-changelog", new StringDeserializer(), new LongDeserializer());
      assertThat(changelog.readValuesToList()).containsExactly(1L, 2L);
    }
  }

  @Test
  void tableKeepsTheLatestValueAndDeletesOnNull() {
    StreamsBuilder b = new StreamsBuilder();
    KTable<String, String> t = b.table("t", STRINGS, Materialized.as("t-store"));
    t.toStream().to("out", Produced.with(Serdes.String(), Serdes.String()));
    try (TopologyTestDriver d = new TopologyTestDriver(b.build(), stringDefaults())) {
      TestInputTopic<String, String> in = d.createInputTopic("t", new StringSerializer(), new StringSerializer());
      in.pipeInput("a", "1");
      in.pipeInput("a", "2");
      in.pipeInput("b", "3");
      in.pipeInput("a", null);
      assertThat(d.createOutputTopic("out", new StringDeserializer(), new StringDeserializer()).readKeyValuesToList())
          .containsExactly(KeyValue.pair("a", "1"), KeyValue.pair("a", "2"), KeyValue.pair("b", "3"),
              KeyValue.pair("a", null));
      KeyValueStore<String, String> store = d.getKeyValueStore("t-store");
      assertThat(store.get("a")).isNull();
      assertThat(store.get("b")).isEqualTo("3");
      assertThat(t.queryableStoreName()).isEqualTo("t-store");
    }
  }

  @Test
  void tableFilterAndMapValuesForwardDeletionsForFilteredOutValues() {
    StreamsBuilder b = new StreamsBuilder();
    b.table("t", STRINGS)
        .filter((k, v) -> !v.startsWith("x"))
        .mapValues(v -> v + v)
        .toStream().to("out", Produced.with(Serdes.String(), Serdes.String()));
    try (TopologyTestDriver d = new TopologyTestDriver(b.build(), stringDefaults())) {
      TestInputTopic<String, String> in = d.createInputTopic("t", new StringSerializer(), new StringSerializer());
      in.pipeInput("a", "1");
      in.pipeInput("a", "x");
      in.pipeInput("b", "x");
      assertThat(d.createOutputTopic("out", new StringDeserializer(), new StringDeserializer()).readKeyValuesToList())
          .containsExactly(KeyValue.pair("a", "11"), KeyValue.pair("a", null));
    }
  }

  @Test
  void filterNotAndMaterializedFilterAreQueryable() {
    StreamsBuilder b = new StreamsBuilder();
    KTable<String, String> t = b.table("t", STRINGS);
    t.filter((k, v) -> v.length() > 1, Materialized.as("long-values"));
    t.filterNot((k, v) -> v.length() > 1).toStream().to("short", Produced.with(Serdes.String(), Serdes.String()));
    try (TopologyTestDriver d = new TopologyTestDriver(b.build(), stringDefaults())) {
      TestInputTopic<String, String> in = d.createInputTopic("t", new StringSerializer(), new StringSerializer());
      in.pipeInput("a", "1");
      in.pipeInput("b", "22");
      KeyValueStore<String, String> longs = d.getKeyValueStore("long-values");
      assertThat(longs.get("b")).isEqualTo("22");
      assertThat(longs.get("a")).isNull();
      assertThat(d.createOutputTopic("short", new StringDeserializer(), new StringDeserializer()).readKeyValuesToList())
          .containsExactly(KeyValue.pair("a", "1"));
    }
  }

  @Test
  void toTableTurnsAStreamIntoATable() {
    StreamsBuilder b = new StreamsBuilder();
    b.stream("in", STRINGS).toTable(Materialized.as("latest")).toStream()
        .to("out", Produced.with(Serdes.String(), Serdes.String()));
    try (TopologyTestDriver d = new TopologyTestDriver(b.build(), stringDefaults())) {
      TestInputTopic<String, String> in = d.createInputTopic("in", new StringSerializer(), new StringSerializer());
      in.pipeInput("a", "1");
      in.pipeInput("a", "2");
      assertThat(d.<String, String>getKeyValueStore("latest").get("a")).isEqualTo("2");
    }
  }

  @Test
  void tableGroupByCountSubtractsFromTheOldGroup() {
    // users -> region; count users per region; a user moving region leaves the old one.
    StreamsBuilder b = new StreamsBuilder();
    b.table("user-regions", STRINGS)
        .groupBy((user, region) -> KeyValue.pair(region, user), Grouped.with(Serdes.String(), Serdes.String()))
        .count(Materialized.as("users-per-region"))
        .toStream().to("out", Produced.with(Serdes.String(), Serdes.Long()));
    try (TopologyTestDriver d = new TopologyTestDriver(b.build(), stringDefaults())) {
      TestInputTopic<String, String> in =
          d.createInputTopic("user-regions", new StringSerializer(), new StringSerializer());
      in.pipeInput("alice", "eu");
      in.pipeInput("bob", "eu");
      in.pipeInput("alice", "us");
      in.pipeInput("bob", null);
      Map<String, Long> counts =
          d.createOutputTopic("out", new StringDeserializer(), new LongDeserializer()).readKeyValuesToMap();
      assertThat(counts).isEqualTo(Map.of("eu", 0L, "us", 1L));
    }
  }

  @Test
  void tableGroupByAggregateAndReduceUseTheirSubtractors() {
    StreamsBuilder b = new StreamsBuilder();
    KTable<String, String> t = b.table("t", STRINGS);
    t.groupBy((k, v) -> KeyValue.pair(v, k), Grouped.with(Serdes.String(), Serdes.String()))
        .aggregate(() -> "", (k, v, agg) -> agg + v, (k, v, agg) -> agg.replace(v, ""),
            Materialized.as("members"));
    t.groupBy((k, v) -> KeyValue.pair("all", Long.valueOf(v.length())), Grouped.with(Serdes.String(), Serdes.Long()))
        .reduce(Long::sum, (a, c) -> a - c, Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("total")
            .withValueSerde(Serdes.Long()));
    try (TopologyTestDriver d = new TopologyTestDriver(b.build(), stringDefaults())) {
      TestInputTopic<String, String> in = d.createInputTopic("t", new StringSerializer(), new StringSerializer());
      in.pipeInput("a", "g1");
      in.pipeInput("b", "g1");
      in.pipeInput("a", "grp2");
      assertThat(d.<String, String>getKeyValueStore("members").get("g1")).isEqualTo("b");
      assertThat(d.<String, String>getKeyValueStore("members").get("grp2")).isEqualTo("a");
      assertThat(d.<String, Long>getKeyValueStore("total").get("all")).isEqualTo(6L);
    }
  }

  @Test
  void optimizationMergesRepartitionsOfTheSameRekeyedStream() {
    StreamsBuilder b = new StreamsBuilder();
    KGroupedStream<String, String> g = b.stream("in", STRINGS).selectKey((k, v) -> v)
        .groupByKey(Grouped.with("by-value", Serdes.String(), Serdes.String()));
    g.count(Materialized.as("counts"));
    g.reduce((a, c) -> a + c, Materialized.as("concat"));
    String optimized = b.build().describe().toString();
    assertThat(optimized.split("Sink: ", -1)).hasSize(2);

    StreamsBuilder b2 = new StreamsBuilder();
    KStream<String, String> s = b2.stream("in", STRINGS).selectKey((k, v) -> v);
    s.groupByKey(Grouped.with("first", Serdes.String(), Serdes.String())).count();
    s.groupByKey(Grouped.with("second", Serdes.String(), Serdes.String())).count();
    Properties none = new Properties();
    none.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.NO_OPTIMIZATION);
    assertThat(b2.build(none).describe().toString()).contains("first-repartition", "second-repartition");
    StreamsBuilder b3 = new StreamsBuilder();
    KStream<String, String> s3 = b3.stream("in", STRINGS).selectKey((k, v) -> v);
    s3.groupByKey(Grouped.with("first", Serdes.String(), Serdes.String())).count();
    s3.groupByKey(Grouped.with("second", Serdes.String(), Serdes.String())).count();
    Topology merged = b3.build();
    assertThat(merged.describe().toString()).contains("first-repartition").doesNotContain("second-repartition");
    try (TopologyTestDriver d = new TopologyTestDriver(merged)) {
      d.createInputTopic("in", new StringSerializer(), new StringSerializer()).pipeInput("k", "v");
      assertThat(d.producedTopicNames()).containsOnlyOnce("test-driver-first-repartition");
    }
  }

  @Test
  void namedOperatorsKeepTheirNamesWhenTheTopologyChangesElsewhere() {
    StreamsBuilder b1 = new StreamsBuilder();
    b1.stream("in", STRINGS).groupByKey(Grouped.as("g")).count(Named.as("counter"), Materialized.as("counts"));
    StreamsBuilder b2 = new StreamsBuilder();
    b2.stream("in", STRINGS).filter((k, v) -> true).mapValues(v -> v).groupByKey(Grouped.as("g"))
        .count(Named.as("counter"), Materialized.as("counts"));
    assertThat(b1.build().describe().toString()).contains("Processor: counter (stores: [counts])");
    assertThat(b2.build().describe().toString()).contains("Processor: counter (stores: [counts])");
  }
}
