package io.millrace.streams.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.streams.StreamsBuilder;
import io.millrace.streams.StreamsConfig;
import io.millrace.streams.Topology;
import io.millrace.streams.kstream.Consumed;
import io.millrace.streams.kstream.Produced;
import io.millrace.streams.testing.TestInputTopic;
import io.millrace.streams.testing.TopologyTestDriver;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Deserialization, processing and production errors, and what the handlers make of them. */
class ErrorHandlingTest {

  /** Longs in; doubles them. A 3-byte value cannot be a Long. */
  private static Topology longs() {
    StreamsBuilder b = new StreamsBuilder();
    b.stream("in", Consumed.with(Serdes.String(), Serdes.Long())).mapValues(v -> v * 2)
        .to("out", Produced.with(Serdes.String(), Serdes.Long()));
    return b.build();
  }

  private static void pipe(TopologyTestDriver d, byte[] value) {
    d.createInputTopic("in", new StringSerializer(), new ByteArraySerializer()).pipeInput("k", value);
  }

  private static final byte[] NOT_A_LONG = {1, 2, 3};
  private static final byte[] FORTY_TWO = {0, 0, 0, 0, 0, 0, 0, 42};

  @Test
  void undeserializableRecordFailsTheTaskByDefault() {
    try (TopologyTestDriver d = new TopologyTestDriver(longs())) {
      assertThatThrownBy(() -> pipe(d, NOT_A_LONG))
          .isInstanceOf(StreamsException.class)
          .hasMessageContaining("Cannot deserialize record in-0 offset 0 in task 0_0");
    }
  }

  @Test
  void logAndContinueSkipsTheRecordAndCountsIt() {
    Properties p = new Properties();
    p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
    try (TopologyTestDriver d = new TopologyTestDriver(longs(), p)) {
      pipe(d, NOT_A_LONG);
      pipe(d, FORTY_TWO);
      assertThat(d.createOutputTopic("out", new StringDeserializer(), new LongDeserializer()).readValuesToList())
          .containsExactly(84L);
      assertThat(d.metricTotal("dropped-records-total")).isEqualTo(1.0);
    }
  }

  @Test
  void deadLetterQueueHandlerSendsTheRawRecordWithItsOrigin() {
    Properties p = new Properties();
    p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterQueueExceptionHandler.class);
    p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "dlq");
    try (TopologyTestDriver d = new TopologyTestDriver(longs(), p)) {
      pipe(d, NOT_A_LONG);
      var r = d.createOutputTopic("dlq", new StringDeserializer(), new ByteArrayDeserializer()).readRecord();
      assertThat(r.key()).isEqualTo("k");
      assertThat(r.value()).containsExactly(NOT_A_LONG);
      assertThat(new String(r.headers().lastHeader("__streams.errors.topic").value(), StandardCharsets.UTF_8))
          .isEqualTo("in");
      assertThat(new String(r.headers().lastHeader("__streams.errors.exception").value(), StandardCharsets.UTF_8))
          .isEqualTo(SerializationException.class.getName());
    }
  }

  @Test
  void deadLetterQueueHandlerWithoutATopicIsAConfigurationError() {
    Properties p = new Properties();
    p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterQueueExceptionHandler.class);
    assertThatThrownBy(() -> new TopologyTestDriver(longs(), p))
        .hasMessageContaining("errors.dead.letter.queue.topic.name");
  }

  @Test
  void processingExceptionNamesTaskProcessorAndRecord() {
    StreamsBuilder b = new StreamsBuilder();
    b.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
        .mapValues(v -> Integer.parseInt(v))
        .to("out", Produced.with(Serdes.String(), Serdes.Integer()));
    try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
      TestInputTopic<String, String> in = d.createInputTopic("in", new StringSerializer(), new StringSerializer());
      in.pipeInput("k", "1");
      assertThatThrownBy(() -> in.pipeInput("k", "one"))
          .isInstanceOf(StreamsException.class)
          .hasMessageContaining("Exception caught in process: task 0_0, processor KSTREAM-MAPVALUES-0000000001,"
              + " record in-0 offset 1")
          .hasRootCauseInstanceOf(NumberFormatException.class)
          .satisfies(e -> assertThat(((StreamsException) e).taskId()).isPresent());
    }
  }

  @Test
  void wrongSerdeAtASinkSaysWhichTypesDoNotFit() {
    StreamsBuilder b = new StreamsBuilder();
    b.stream("in", Consumed.with(Serdes.String(), Serdes.String())).mapValues(v -> (long) v.length()).to("out");
    Properties p = new Properties();
    p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    try (TopologyTestDriver d = new TopologyTestDriver(b.build(), p)) {
      TestInputTopic<String, String> in = d.createInputTopic("in", new StringSerializer(), new StringSerializer());
      assertThatThrownBy(() -> in.pipeInput("k", "abc"))
          .hasMessageContaining("does not fit the record's types")
          .hasMessageContaining("java.lang.Long");
    }
  }

  @Test
  void missingDefaultSerdeIsNamedWhenTheTaskStarts() {
    StreamsBuilder b = new StreamsBuilder();
    b.stream("in").to("out");
    assertThatThrownBy(() -> new TopologyTestDriver(b.build()))
        .hasMessageContaining("No key serde for source KSTREAM-SOURCE-0000000000")
        .hasMessageContaining("default.key.serde");
  }

  /** A serializer that always fails, to exercise the production handler. */
  public static final class Failing implements org.apache.kafka.common.serialization.Serializer<String> {
    @Override
    public byte[] serialize(String topic, String data) {
      throw new SerializationException("cannot write " + data);
    }
  }

  @Test
  void productionHandlerDecidesAboutSerializationFailures() {
    StreamsBuilder b = new StreamsBuilder();
    b.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
        .to("out", Produced.with(Serdes.String(), Serdes.serdeFrom(new Failing(), new StringDeserializer())));
    Topology t = b.build();
    try (TopologyTestDriver d = new TopologyTestDriver(t)) {
      TestInputTopic<String, String> in = d.createInputTopic("in", new StringSerializer(), new StringSerializer());
      assertThatThrownBy(() -> in.pipeInput("k", "v")).hasMessageContaining("Cannot serialize a record for out");
    }
    Properties p = new Properties();
    p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
    try (TopologyTestDriver d = new TopologyTestDriver(t, p)) {
      d.createInputTopic("in", new StringSerializer(), new StringSerializer()).pipeInput("k", "v");
      assertThat(d.producedTopicNames()).doesNotContain("out");
    }
  }

  /** Drops records whose value says so, by returning a negative time. */
  public static final class NegativeForSkip implements io.millrace.streams.processor.TimestampExtractor {
    @Override
    public long extract(org.apache.kafka.clients.consumer.ConsumerRecord<Object, Object> r, long partitionTime) {
      return "skip".equals(r.value()) ? -1 : r.timestamp();
    }
  }

  @Test
  void negativeExtractedTimestampsDropTheRecord() {
    StreamsBuilder b = new StreamsBuilder();
    b.stream("in", Consumed.with(Serdes.String(), Serdes.String()).withTimestampExtractor(new NegativeForSkip()))
        .to("out", Produced.with(Serdes.String(), Serdes.String()));
    try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
      TestInputTopic<String, String> in = d.createInputTopic("in", new StringSerializer(), new StringSerializer());
      in.pipeInput("k", "skip");
      in.pipeInput("k", "keep");
      assertThat(d.createOutputTopic("out", new StringDeserializer(), new StringDeserializer()).readValuesToList())
          .containsExactly("keep");
      assertThat(d.metricTotal("dropped-records-total")).isEqualTo(1.0);
    }
  }

  @Test
  void invalidConfigurationValuesAreRejectedWithTheirKey() {
    Properties p = new Properties();
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "exactly_once_v2");
    assertThatThrownBy(() -> new TopologyTestDriver(longs(), p)).hasMessageContaining("processing.guarantee");
    Properties q = new Properties();
    q.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "0");
    assertThatThrownBy(() -> new TopologyTestDriver(longs(), q)).hasMessageContaining("num.stream.threads");
    Properties r = new Properties();
    r.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, "com.example.NoSuchSerde");
    assertThatThrownBy(() -> new TopologyTestDriver(longs(), r)).hasMessageContaining("com.example.NoSuchSerde");
  }
}
