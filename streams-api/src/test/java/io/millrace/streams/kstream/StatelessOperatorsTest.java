package io.millrace.streams.kstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.streams.KeyValue;
import io.millrace.streams.StreamsBuilder;
import io.millrace.streams.testing.TestInputTopic;
import io.millrace.streams.testing.TestOutputTopic;
import io.millrace.streams.testing.TopologyTestDriver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.IntegerDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Every stateless stream operator through the test driver. */
class StatelessOperatorsTest {
  private static final Consumed<String, String> STRINGS = Consumed.with(Serdes.String(), Serdes.String());
  private static final Produced<String, String> OUT = Produced.with(Serdes.String(), Serdes.String());

  private static List<KeyValue<String, String>> run(StreamsBuilder b, String outTopic, List<KeyValue<String, String>> input) {
    try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
      TestInputTopic<String, String> in = d.createInputTopic("in", new StringSerializer(), new StringSerializer());
      TestOutputTopic<String, String> out = d.createOutputTopic(outTopic, new StringDeserializer(), new StringDeserializer());
      in.pipeKeyValueList(input);
      return out.readKeyValuesToList();
    }
  }

  private static final List<KeyValue<String, String>> INPUT =
      List.of(KeyValue.pair("a", "1"), KeyValue.pair("b", "22"), KeyValue.pair("c", "333"));

  @Test
  void filterKeepsMatchingRecords() {
    StreamsBuilder b = new StreamsBuilder();
    b.stream("in", STRINGS).filter((k, v) -> v.length() > 1).to("out", OUT);
    assertThat(run(b, "out", INPUT)).containsExactly(KeyValue.pair("b", "22"), KeyValue.pair("c", "333"));
  }

  @Test
  void filterNotDropsMatchingRecords() {
    StreamsBuilder b = new StreamsBuilder();
    b.stream("in", STRINGS).filterNot((k, v) -> v.length() > 1).to("out", OUT);
    assertThat(run(b, "out", INPUT)).containsExactly(KeyValue.pair("a", "1"));
  }

  @Test
  void mapChangesKeyAndValue() {
    StreamsBuilder b = new StreamsBuilder();
    b.stream("in", STRINGS).map((k, v) -> KeyValue.pair(v, k)).to("out", OUT);
    assertThat(run(b, "out", INPUT)).containsExactly(
        KeyValue.pair("1", "a"), KeyValue.pair("22", "b"), KeyValue.pair("333", "c"));
  }

  @Test
  void mapValuesWithAndWithoutKey() {
    StreamsBuilder b = new StreamsBuilder();
    KStream<String, String> s = b.stream("in", STRINGS);
    s.mapValues(v -> v + "!").to("out1", OUT);
    s.mapValues((k, v) -> k + v).to("out2", OUT);
    try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
      d.createInputTopic("in", new StringSerializer(), new StringSerializer()).pipeKeyValueList(INPUT);
      assertThat(d.createOutputTopic("out1", new StringDeserializer(), new StringDeserializer()).readValuesToList())
          .containsExactly("1!", "22!", "333!");
      assertThat(d.createOutputTopic("out2", new StringDeserializer(), new StringDeserializer()).readValuesToList())
          .containsExactly("a1", "b22", "c333");
    }
  }

  @Test
  void flatMapAndFlatMapValuesEmitZeroOrMore() {
    StreamsBuilder b = new StreamsBuilder();
    KStream<String, String> s = b.stream("in", STRINGS);
    s.flatMap((k, v) -> {
      List<KeyValue<String, String>> out = new ArrayList<>();
      for (char c : v.toCharArray()) {
        out.add(KeyValue.pair(k + c, String.valueOf(c)));
      }
      return out;
    }).to("out1", OUT);
    s.flatMapValues(v -> v.length() > 2 ? List.of() : List.of(v, v)).to("out2", OUT);
    try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
      d.createInputTopic("in", new StringSerializer(), new StringSerializer()).pipeKeyValueList(INPUT);
      assertThat(d.createOutputTopic("out1", new StringDeserializer(), new StringDeserializer()).readKeyValuesToList())
          .hasSize(6).startsWith(KeyValue.pair("a1", "1"), KeyValue.pair("b2", "2"));
      assertThat(d.createOutputTopic("out2", new StringDeserializer(), new StringDeserializer()).readValuesToList())
          .containsExactly("1", "1", "22", "22");
    }
  }

  @Test
  void selectKeyReplacesTheKey() {
    StreamsBuilder b = new StreamsBuilder();
    b.stream("in", STRINGS).selectKey((k, v) -> k.toUpperCase()).to("out", OUT);
    assertThat(run(b, "out", INPUT)).extracting(KeyValue::key).containsExactly("A", "B", "C");
  }

  @Test
  void peekAndForeachSeeEveryRecord() {
    List<String> peeked = new ArrayList<>();
    List<String> each = new ArrayList<>();
    StreamsBuilder b = new StreamsBuilder();
    KStream<String, String> s = b.stream("in", STRINGS).peek((k, v) -> peeked.add(k));
    s.foreach((k, v) -> each.add(v));
    s.to("out", OUT);
    assertThat(run(b, "out", INPUT)).hasSize(3);
    assertThat(peeked).containsExactly("a", "b", "c");
    assertThat(each).containsExactly("1", "22", "333");
  }

  @Test
  void splitSendsEachRecordToTheFirstMatchingBranch() {
    StreamsBuilder b = new StreamsBuilder();
    List<String> consumed = new ArrayList<>();
    Map<String, KStream<String, String>> branches = b.stream("in", STRINGS)
        .split(Named.as("len-"))
        .branch((k, v) -> v.length() == 1, Branched.as("one"))
        .branch((k, v) -> v.length() == 2, Branched.withConsumer(s -> s.foreach((k, v) -> consumed.add(v)), "two"))
        .branch((k, v) -> v.length() >= 2, Branched.withFunction(s -> s.mapValues(v -> v + "+"), "many"))
        .defaultBranch();
    assertThat(branches.keySet()).containsExactly("len-one", "len-many", "len-0");
    branches.get("len-one").to("one", OUT);
    branches.get("len-many").to("many", OUT);
    branches.get("len-0").to("rest", OUT);
    try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
      d.createInputTopic("in", new StringSerializer(), new StringSerializer())
          .pipeKeyValueList(List.of(KeyValue.pair("a", "1"), KeyValue.pair("b", "22"), KeyValue.pair("c", "333"),
              KeyValue.pair("d", "")));
      assertThat(d.createOutputTopic("one", new StringDeserializer(), new StringDeserializer()).readValuesToList())
          .containsExactly("1");
      assertThat(consumed).containsExactly("22");
      assertThat(d.createOutputTopic("many", new StringDeserializer(), new StringDeserializer()).readValuesToList())
          .containsExactly("333+");
      assertThat(d.createOutputTopic("rest", new StringDeserializer(), new StringDeserializer()).readValuesToList())
          .containsExactly("");
    }
  }

  @Test
  void unnamedBranchesAreNumberedAfterTheGeneratedSplitName() {
    StreamsBuilder b = new StreamsBuilder();
    Map<String, KStream<String, String>> branches = b.stream("in", STRINGS).split()
        .branch((k, v) -> true).branch((k, v) -> false).noDefaultBranch();
    assertThat(branches.keySet()).containsExactly("KSTREAM-BRANCH-00000000011", "KSTREAM-BRANCH-00000000012");
  }

  @Test
  void mergeCombinesTwoStreams() {
    StreamsBuilder b = new StreamsBuilder();
    KStream<String, String> one = b.stream("in", STRINGS);
    KStream<String, String> two = b.stream("in2", STRINGS);
    one.merge(two).to("out", OUT);
    try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
      d.createInputTopic("in", new StringSerializer(), new StringSerializer()).pipeInput("a", "1");
      d.createInputTopic("in2", new StringSerializer(), new StringSerializer()).pipeInput("b", "2");
      assertThat(d.createOutputTopic("out", new StringDeserializer(), new StringDeserializer()).readKeyValuesToList())
          .containsExactly(KeyValue.pair("a", "1"), KeyValue.pair("b", "2"));
    }
  }

  @Test
  void toWithTopicExtractorChoosesTheTopicPerRecord() {
    StreamsBuilder b = new StreamsBuilder();
    b.stream("in", STRINGS).to((k, v, ctx) -> "out-" + k, OUT);
    try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
      d.createInputTopic("in", new StringSerializer(), new StringSerializer()).pipeKeyValueList(INPUT);
      assertThat(d.producedTopicNames()).contains("out-a", "out-b", "out-c");
      assertThat(d.createOutputTopic("out-b", new StringDeserializer(), new StringDeserializer()).readValue())
          .isEqualTo("22");
    }
  }

  @Test
  void repartitionGoesThroughAnInternalTopic() {
    StreamsBuilder b = new StreamsBuilder();
    b.stream("in", STRINGS).selectKey((k, v) -> v).repartition(Repartitioned.<String, String>as("by-value")
        .withKeySerde(Serdes.String()).withValueSerde(Serdes.String()).withNumberOfPartitions(4)).to("out", OUT);
    var topology = b.build();
    assertThat(topology.describe().subtopologies()).hasSize(2);
    try (TopologyTestDriver d = new TopologyTestDriver(topology)) {
      d.createInputTopic("in", new StringSerializer(), new StringSerializer()).pipeKeyValueList(INPUT);
      assertThat(d.producedTopicNames()).contains("test-driver-by-value-repartition");
      assertThat(d.createOutputTopic("out", new StringDeserializer(), new StringDeserializer()).readKeyValuesToList())
          .containsExactly(KeyValue.pair("1", "1"), KeyValue.pair("22", "22"), KeyValue.pair("333", "333"));
    }
  }

  @Test
  void timestampsAndHeadersPassThrough() {
    StreamsBuilder b = new StreamsBuilder();
    b.stream("in", STRINGS).mapValues(v -> v.length()).to("out", Produced.with(Serdes.String(), Serdes.Integer()));
    try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
      d.createInputTopic("in", new StringSerializer(), new StringSerializer()).pipeInput("k", "abc", 1234L);
      var r = d.createOutputTopic("out", new StringDeserializer(), new IntegerDeserializer()).readRecord();
      assertThat(r.timestamp()).isEqualTo(1234L);
      assertThat(r.value()).isEqualTo(3);
    }
  }
}
