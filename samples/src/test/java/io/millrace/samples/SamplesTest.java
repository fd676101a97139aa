package io.millrace.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.streams.KeyValue;
import io.millrace.streams.StreamsApplication;
import io.millrace.streams.serde.JsonSerde;
import io.millrace.streams.testing.TestInputTopic;
import io.millrace.streams.testing.TopologyTestDriver;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The sample topologies through the test driver. */
class SamplesTest {

  private static TopologyTestDriver driver(StreamsApplication app) {
    Properties p = app.defaults();
    return new TopologyTestDriver(app.topology(p), p);
  }

  @Test
  void wordCountCountsLowerCasedWordsSplitOnNonWordCharacters() {
    try (TopologyTestDriver d = driver(new WordCount())) {
      TestInputTopic<String, String> in =
          d.createInputTopic(WordCount.INPUT_TOPIC, new StringSerializer(), new StringSerializer());
      in.pipeInput("all streams lead to Kafka");
      in.pipeInput("hello kafka-streams!");
      Map<String, Long> counts = d.createOutputTopic(WordCount.OUTPUT_TOPIC, new StringDeserializer(),
          new LongDeserializer()).readKeyValuesToMap();
      assertThat(counts).isEqualTo(Map.of("all", 1L, "streams", 2L, "lead", 1L, "to", 1L, "kafka", 2L, "hello", 1L));
      assertThat(d.<String, Long>getKeyValueStore("counts-store").get("kafka")).isEqualTo(2L);
    }
  }

  @Test
  void clicksAreCountedPerMinuteWithLateClicksWithinGraceAndFinalResultsOnce() {
    try (TopologyTestDriver d = driver(new ClicksPerUserPerMinute())) {
      TestInputTopic<String, String> in =
          d.createInputTopic(ClicksPerUserPerMinute.INPUT_TOPIC, new StringSerializer(), new StringSerializer());
      Instant t0 = Instant.parse("2024-05-01T10:00:00Z");
      in.pipeInput("ann", "/home", t0.plusSeconds(5));
      in.pipeInput("ann", "/cart", t0.plusSeconds(50));
      in.pipeInput("bob", "/home", t0.plusSeconds(70));
      in.pipeInput("ann", "/late-but-in-grace", t0.plusSeconds(59));
      in.pipeInput("ann", "/next", t0.plusSeconds(95));
      in.pipeInput("ann", "/too-late", t0.plusSeconds(10));
      in.pipeInput("bob", "/much-later", t0.plusSeconds(200));
      List<KeyValue<String, Long>> updates = d.createOutputTopic(ClicksPerUserPerMinute.UPDATES_TOPIC,
          new StringDeserializer(), new LongDeserializer()).readKeyValuesToList();
      assertThat(updates).containsExactly(
          KeyValue.pair("ann@2024-05-01T10:00:00Z", 1L),
          KeyValue.pair("ann@2024-05-01T10:00:00Z", 2L),
          KeyValue.pair("bob@2024-05-01T10:01:00Z", 1L),
          KeyValue.pair("ann@2024-05-01T10:00:00Z", 3L),
          KeyValue.pair("ann@2024-05-01T10:01:00Z", 1L),
          KeyValue.pair("bob@2024-05-01T10:03:00Z", 1L));
      List<KeyValue<String, Long>> finals = d.createOutputTopic(ClicksPerUserPerMinute.FINAL_TOPIC,
          new StringDeserializer(), new LongDeserializer()).readKeyValuesToList();
      assertThat(finals).containsExactly(
          KeyValue.pair("ann@2024-05-01T10:00:00Z", 3L),
          KeyValue.pair("ann@2024-05-01T10:01:00Z", 1L),
          KeyValue.pair("bob@2024-05-01T10:01:00Z", 1L));
      assertThat(d.metricTotal("dropped-records-total")).isEqualTo(1.0);
    }
  }

  @Test
  void ordersAreEnrichedWithTheirCustomerAsOfTheOrder() {
    try (TopologyTestDriver d = driver(new OrderEnrichment())) {
      var customers = d.createInputTopic(OrderEnrichment.CUSTOMERS_TOPIC, new StringSerializer(),
          JsonSerde.of(OrderEnrichment.Customer.class).serializer());
      var orders = d.createInputTopic(OrderEnrichment.ORDERS_TOPIC, new StringSerializer(),
          JsonSerde.of(OrderEnrichment.Order.class).serializer());
      var out = d.createOutputTopic(OrderEnrichment.OUTPUT_TOPIC, new StringDeserializer(),
          JsonSerde.of(OrderEnrichment.EnrichedOrder.class).deserializer());
      customers.pipeInput("c1", new OrderEnrichment.Customer("c1", "Ada", "gold"));
      orders.pipeInput("o1", new OrderEnrichment.Order("o1", "c1", "lamp", 25.0));
      orders.pipeInput("o2", new OrderEnrichment.Order("o2", "c9", "desk", 120.0));
      customers.pipeInput("c1", new OrderEnrichment.Customer("c1", "Ada", "platinum"));
      orders.pipeInput("o3", new OrderEnrichment.Order("o3", "c1", "chair", 80.0));
      var results = out.readKeyValuesToList();
      assertThat(results).hasSize(3);
      assertThat(results.get(0).key()).isEqualTo("c1");
      assertThat(results.get(0).value().customer().tier()).isEqualTo("gold");
      assertThat(results.get(1).value().customer()).isNull();
      assertThat(results.get(1).value().order().product()).isEqualTo("desk");
      assertThat(results.get(2).value().customer().tier()).isEqualTo("platinum");
      assertThat(d.producedTopicNames()).contains("order-enrichment-orders-by-customer-repartition");
    }
  }
}
