package io.millrace.streams.kstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.streams.KeyValue;
import io.millrace.streams.StreamsBuilder;
import io.millrace.streams.Topology;
import io.millrace.streams.state.KeyValueStore;
import io.millrace.streams.testing.TestInputTopic;
import io.millrace.streams.testing.TestOutputTopic;
import io.millrace.streams.testing.TopologyTestDriver;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

class WordCountTopologyTest {

  static Topology wordCount() {
    StreamsBuilder builder = new StreamsBuilder();
    KStream<String, String> source =
        builder.stream("streams-plaintext-input", Consumed.with(Serdes.String(), Serdes.String()));
    source
        .flatMapValues(value -> Arrays.asList(value.toLowerCase(Locale.getDefault()).split("\\W+")))
        .groupBy((key, value) -> value, Grouped.with(Serdes.String(), Serdes.String()))
        .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("counts-store"))
        .toStream()
        .to("streams-wordcount-output", Produced.with(Serdes.String(), Serdes.Long()));
    return builder.build();
  }

  @Test
  void countsWordsAcrossLines() {
    try (TopologyTestDriver driver = new TopologyTestDriver(wordCount())) {
      TestInputTopic<String, String> in =
          driver.createInputTopic("streams-plaintext-input", new StringSerializer(), new StringSerializer());
      TestOutputTopic<String, Long> out =
          driver.createOutputTopic("streams-wordcount-output", new StringDeserializer(), new LongDeserializer());
      in.pipeInput("all streams lead to kafka");
      in.pipeInput("hello kafka streams");
      assertThat(out.readKeyValuesToList()).containsExactly(
          KeyValue.pair("all", 1L), KeyValue.pair("streams", 1L), KeyValue.pair("lead", 1L),
          KeyValue.pair("to", 1L), KeyValue.pair("kafka", 1L),
          KeyValue.pair("hello", 1L), KeyValue.pair("kafka", 2L), KeyValue.pair("streams", 2L));
      KeyValueStore<String, Long> store = driver.getKeyValueStore("counts-store");
      assertThat(store.get("kafka")).isEqualTo(2L);
      assertThat(store.approximateNumEntries()).isEqualTo(6);
    }
  }

  @Test
  void describesTwoSubtopologiesSplitAtTheRepartitionTopic() {
    String text = wordCount().describe().toString();
    assertThat(text).contains("Sub-topology: 0", "Sub-topology: 1",
        "Sink: counts-store-repartition-sink (topic: counts-store-repartition)",
        "Source: counts-store-repartition-source (topics: [counts-store-repartition])",
        "Processor: KSTREAM-AGGREGATE-0000000003 (stores: [counts-store])");
    System.out.println(text);
    System.out.println(wordCount().describe().toMermaid());
  }

  @Test
  void countsMatchTheFinalMapAfterManyLines() {
    try (TopologyTestDriver driver = new TopologyTestDriver(wordCount())) {
      TestInputTopic<String, String> in =
          driver.createInputTopic("streams-plaintext-input", new StringSerializer(), new StringSerializer());
      TestOutputTopic<String, Long> out =
          driver.createOutputTopic("streams-wordcount-output", new StringDeserializer(), new LongDeserializer());
      in.pipeValueList(List.of("a b", "b c", "c c"));
      assertThat(out.readKeyValuesToMap()).isEqualTo(Map.of("a", 1L, "b", 2L, "c", 3L));
    }
  }
}
