package io.millrace.runtime.tools.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.EmbeddedBroker;
import io.millrace.runtime.tools.FreePort;
import io.millrace.runtime.tools.ToolRunner;
import io.millrace.runtime.tools.ToolRunner.Result;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The console producer and consumer against one broker; each test uses its own topic. */
class ConsoleToolsTest {

  static EmbeddedBroker broker;
  static String bootstrap;
  static Admin admin;
  static final AtomicInteger topics = new AtomicInteger();

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedBroker.start(Map.of("auto.create.topics.enable", "false", "num.partitions", "1",
        "group.initial.rebalance.delay.ms", "0", "offsets.topic.num.partitions", "2"));
    bootstrap = broker.bootstrapServers();
    admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
  }

  @AfterAll
  static void stopBroker() {
    admin.close();
    broker.close();
  }

  static String newTopic(Map<String, String> configs) throws Exception {
    String name = "console-" + topics.incrementAndGet();
    admin.createTopics(List.of(new NewTopic(name, 1, (short) 1).configs(configs))).all().get();
    return name;
  }

  static Result produce(String input, String topic, String... extra) {
    List<String> args = new ArrayList<>(List.of("console-producer", "--bootstrap-server", bootstrap, "--topic", topic,
        "--timeout", "0"));
    args.addAll(List.of(extra));
    return ToolRunner.runWithInput(input, args.toArray(String[]::new));
  }

  /** Reads partition 0 from the start; extra flags replace the defaults of the same name. */
  static Result consume(String topic, int max, String... extra) {
    Map<String, String> single = new LinkedHashMap<>();
    single.put("--partition", "0");
    single.put("--offset", "earliest");
    single.put("--max-messages", Integer.toString(max));
    single.put("--timeout-ms", "10000");
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < extra.length; i++) {
      if (single.containsKey(extra[i])) {
        single.put(extra[i], extra[++i]);
      } else {
        rest.add(extra[i]);
      }
    }
    List<String> args = new ArrayList<>(List.of("console-consumer", "--bootstrap-server", bootstrap, "--topic", topic));
    single.forEach((k, v) -> {
      args.add(k);
      args.add(v);
    });
    args.addAll(rest);
    return ToolRunner.run(args.toArray(String[]::new));
  }

  @Test
  void linesFromStdinComeBackInOrder() throws Exception {
    String topic = newTopic(Map.of());
    Result produced = produce("all streams lead to kafka\nhello kafka streams\njoin kafka summit\n", topic);
    assertThat(produced.exitCode()).as(produced.toString()).isZero();
    assertThat(produced.out()).isEmpty();
    Result consumed = consume(topic, 3);
    assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
    assertThat(consumed.out()).isEqualTo("all streams lead to kafka\nhello kafka streams\njoin kafka summit\n");
    assertThat(consumed.err()).isEqualTo("Processed a total of 3 messages\n");
  }

  @Test
  void aGroupConsumerReadsFromTheBeginningAndCommitsItsPosition() throws Exception {
    String topic = newTopic(Map.of());
    produce("one\ntwo\nthree\n", topic);
    Result first = ToolRunner.run("console-consumer", "--bootstrap-server", bootstrap, "--topic", topic,
        "--group", "readers", "--from-beginning", "--max-messages", "2", "--timeout-ms", "10000");
    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(first.out()).isEqualTo("one\ntwo\n");
    Result rest = ToolRunner.run("console-consumer", "--bootstrap-server", bootstrap, "--topic", topic,
        "--group", "readers", "--from-beginning", "--max-messages", "1", "--timeout-ms", "10000");
    assertThat(rest.out()).as("the group resumes after what it committed").isEqualTo("three\n");
    Result described = ToolRunner.run("consumer-groups", "--bootstrap-server", bootstrap, "--describe", "--group", "readers");
    assertThat(described.out().lines().filter(l -> l.contains(topic)).findFirst().orElseThrow().split("\\s+"))
        .startsWith("readers", topic, "0", "3", "3", "0");
  }

  @Test
  void theIdleTimeoutStartsOnceTheGroupHasAssignedPartitions() throws Exception {
    try (EmbeddedBroker slowJoin = EmbeddedBroker.start(Map.of("group.initial.rebalance.delay.ms", "1500",
        "offsets.topic.num.partitions", "1"))) {
      String servers = slowJoin.bootstrapServers();
      assertThat(ToolRunner.runWithInput("waiting\n", "console-producer", "--bootstrap-server", servers,
          "--topic", "joined", "--timeout", "0").exitCode()).isZero();
      Result r = ToolRunner.run("console-consumer", "--bootstrap-server", servers, "--topic", "joined",
          "--from-beginning", "--timeout-ms", "500");
      assertThat(r.exitCode()).as(r.toString()).isZero();
      assertThat(r.out()).as("the 1.5 s join is not idleness").isEqualTo("waiting\n");
    }
  }

  @Test
  void includeReadsEveryMatchingTopicWithAFreshGroup() throws Exception {
    String a = newTopic(Map.of());
    String b = newTopic(Map.of());
    produce("from a\n", a);
    produce("from b\n", b);
    Result r = ToolRunner.run("console-consumer", "--bootstrap-server", bootstrap, "--include", a + "|" + b,
        "--from-beginning", "--max-messages", "2", "--timeout-ms", "10000");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out().lines()).containsExactlyInAnyOrder("from a", "from b");
    Result groups = ToolRunner.run("consumer-groups", "--bootstrap-server", bootstrap, "--list");
    assertThat(groups.out().lines()).anyMatch(g -> g.matches("console-consumer-\\d+"));
  }

  @Test
  void keysAndHeadersAreParsedAndPrinted() throws Exception {
    String topic = newTopic(Map.of());
    Result produced = produce("h1:v1,h2:v2|k1:value one\nh3:v3|k2:value:two\n", topic,
        "--property", "parse.key=true", "--property", "key.separator=:",
        "--property", "parse.headers=true", "--property", "headers.delimiter=|");
    assertThat(produced.exitCode()).as(produced.toString()).isZero();
    Result consumed = consume(topic, 2, "--property", "print.key=true", "--property", "print.headers=true",
        "--property", "print.partition=true", "--property", "print.offset=true", "--property", "key.separator= | ");
    assertThat(consumed.out()).isEqualTo(
        "Partition:0 | Offset:0 | h1:v1,h2:v2 | k1 | value one\nPartition:0 | Offset:1 | h3:v3 | k2 | value:two\n");
  }

  @Test
  void timestampsNullsAndLineSeparatorsFollowTheFormatterProperties() throws Exception {
    String topic = newTopic(Map.of());
    produce("-\tnull-key\nk\t-\n", topic, "--property", "parse.key=true", "--property", "null.marker=-");
    Result consumed = consume(topic, 2, "--formatter-property", "print.key=true",
        "--formatter-property", "print.timestamp=true", "--formatter-property", "line.separator=;",
        "--formatter-property", "null.literal=<none>");
    assertThat(consumed.out()).matches("CreateTime:\\d+\t<none>\tnull-key;CreateTime:\\d+\tk\t<none>;");
  }

  @Test
  void theWalkthroughsFormatterAndDeserializersPrintWordCounts() throws Exception {
    String topic = newTopic(Map.of());
    try (KafkaProducer<String, Long> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
        new StringSerializer(), new LongSerializer())) {
      producer.send(new ProducerRecord<>(topic, "kafka", 3L));
      producer.send(new ProducerRecord<>(topic, "streams", 2L)).get();
    }
    for (String formatter : List.of("kafka.tools.DefaultMessageFormatter",
        "org.apache.kafka.tools.consumer.DefaultMessageFormatter")) {
      Result consumed = consume(topic, 2, "--formatter", formatter,
          "--property", "print.key=true", "--property", "print.value=true",
          "--property", "key.deserializer=org.apache.kafka.common.serialization.StringDeserializer",
          "--property", "value.deserializer=org.apache.kafka.common.serialization.LongDeserializer");
      assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
      assertThat(consumed.out()).isEqualTo("kafka\t3\nstreams\t2\n");
    }
    Result flags = consume(topic, 2, "--property", "print.key=true",
        "--key-deserializer", "org.apache.kafka.common.serialization.StringDeserializer",
        "--value-deserializer", "org.apache.kafka.common.serialization.LongDeserializer");
    assertThat(flags.out()).isEqualTo("kafka\t3\nstreams\t2\n");
  }

  @Test
  void everyCompressionCodecRoundTrips() throws Exception {
    for (String codec : List.of("none", "gzip", "snappy", "lz4", "zstd")) {
      String topic = newTopic(Map.of());
      Result produced = produce("a " + codec + " line\nanother one\n", topic, "--compression-codec", codec);
      assertThat(produced.exitCode()).as(codec + ": " + produced).isZero();
      assertThat(consume(topic, 2).out()).as(codec).isEqualTo("a " + codec + " line\nanother one\n");
    }
    String topic = newTopic(Map.of());
    assertThat(produce("defaults to gzip\n", topic, "--compression-codec", "--sync").exitCode()).isZero();
    assertThat(consume(topic, 1).out()).isEqualTo("defaults to gzip\n");
  }

  @Test
  void olderFlagNamesStillWork() throws Exception {
    String topic = newTopic(Map.of());
    Result produced = ToolRunner.runWithInput("via broker-list\n", "console-producer", "--broker-list", bootstrap,
        "--topic", topic, "--producer-property", "linger.ms=0", "--request-required-acks", "1");
    assertThat(produced.exitCode()).as(produced.toString()).isZero();
    Result consumed = ToolRunner.run("console-consumer", "--bootstrap-server", bootstrap, "--whitelist", topic,
        "--partition", "0", "--offset", "0", "--max-messages", "1", "--timeout-ms", "10000", "--topic", topic);
    assertThat(consumed.exitCode()).isEqualTo(2);
    Result byOffset = consume(topic, 1, "--offset", "0");
    assertThat(byOffset.out()).as(produced + "\n" + byOffset).isEqualTo("via broker-list\n");
  }

  @Test
  void aLineWithoutTheKeySeparatorStopsTheProducerAfterTheLinesBefore() throws Exception {
    String topic = newTopic(Map.of());
    Result produced = produce("k1\tv1\nno separator here\nk3\tv3\n", topic, "--property", "parse.key=true");
    assertThat(produced.exitCode()).isEqualTo(1);
    assertThat(produced.err()).isEqualTo(
        "Error: after 1 record(s): no key separator found on line 2: 'no separator here'\n");
    assertThat(consume(topic, 5, "--timeout-ms", "1500", "--property", "print.key=true").out()).isEqualTo("k1\tv1\n");

    String lenient = newTopic(Map.of());
    Result ignored = produce("k1\tv1\nno separator here\n", lenient, "--property", "parse.key=true",
        "--property", "ignore.error=true");
    assertThat(ignored.exitCode()).isZero();
    assertThat(consume(lenient, 2, "--property", "print.key=true").out()).isEqualTo("k1\tv1\nnull\tno separator here\n");
  }

  @Test
  void errorsFromTheBrokerArePrintedAndSetTheExitStatus() throws Exception {
    String topic = newTopic(Map.of("max.message.bytes", "200"));
    String big = "x".repeat(1000);
    Result produced = produce("small\n" + big + "\nsmall again\n", topic, "--sync");
    assertThat(produced.exitCode()).isEqualTo(1);
    assertThat(produced.err()).startsWith("Error when sending a record to topic " + topic
        + " with key: null, value: 1000 bytes: ").contains("larger than");
    assertThat(consume(topic, 2).out()).isEqualTo("small\nsmall again\n");
  }

  @Test
  void anUnknownTopicIsReported() {
    Result produced = produce("lost\n", "no-such-topic", "--max-block-ms", "1000");
    assertThat(produced.exitCode()).isEqualTo(1);
    assertThat(produced.err()).startsWith("Error: topic 'no-such-topic' is not known to the broker at " + bootstrap
        + " after 1000 ms (max.block.ms): create it with millrace topics --create --topic no-such-topic");
    Result consumed = consume("no-such-topic", 1);
    assertThat(consumed.exitCode()).isEqualTo(1);
    assertThat(consumed.err()).isEqualTo("Error: topic 'no-such-topic' does not exist\n");
    assertThat(consumed.out()).isEmpty();
  }

  @Test
  void aMissingPartitionIsReported() throws Exception {
    String topic = newTopic(Map.of());
    Result r = consume(topic, 1, "--partition", "7");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("Error: topic '" + topic + "' has 1 partition(s): there is no partition 7\n");
  }

  @Test
  void anUnknownDeserializerOrFormatterClassIsReported() throws Exception {
    String topic = newTopic(Map.of());
    Result deserializer = consume(topic, 1, "--property", "value.deserializer=org.example.NoSuchDeserializer");
    assertThat(deserializer.exitCode()).isEqualTo(1);
    assertThat(deserializer.err()).startsWith(
        "Error: value.deserializer class 'org.example.NoSuchDeserializer' was not found on the classpath (Kafka's are "
            + "org.apache.kafka.common.serialization.StringDeserializer, LongDeserializer");
    Result notADeserializer = consume(topic, 1, "--key-deserializer", "java.lang.String");
    assertThat(notADeserializer.err()).isEqualTo(
        "Error: key.deserializer class 'java.lang.String' is not a org.apache.kafka.common.serialization.Deserializer\n");
    Result formatter = consume(topic, 1, "--formatter", "kafka.tools.NoSuchFormatter");
    assertThat(formatter.exitCode()).isEqualTo(1);
    assertThat(formatter.err()).startsWith("Error: --formatter class 'kafka.tools.NoSuchFormatter' was not found");
  }

  @Test
  void aRecordTheDeserializerRejectsStopsTheConsumerUnlessSkipped() throws Exception {
    String topic = newTopic(Map.of());
    produce("abc\n", topic);
    try (KafkaProducer<String, Long> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
        new StringSerializer(), new LongSerializer())) {
      producer.send(new ProducerRecord<>(topic, null, 42L)).get();
    }
    Result stopped = consume(topic, 2, "--value-deserializer", "org.apache.kafka.common.serialization.LongDeserializer");
    assertThat(stopped.exitCode()).isEqualTo(1);
    assertThat(stopped.err()).startsWith("Error: cannot format the record of " + topic + "-0 at offset 0: ")
        .contains("--skip-message-on-error");
    Result skipped = consume(topic, 2, "--value-deserializer", "org.apache.kafka.common.serialization.LongDeserializer",
        "--skip-message-on-error");
    assertThat(skipped.exitCode()).isZero();
    assertThat(skipped.out()).isEqualTo("42\n");
    assertThat(skipped.err()).startsWith("Skipping the record of " + topic + "-0 at offset 0: ");
  }

  @Test
  void timeoutEndsAQuietConsumerCleanly() throws Exception {
    String topic = newTopic(Map.of());
    produce("only one\n", topic);
    long start = System.nanoTime();
    Result r = consume(topic, 10, "--timeout-ms", "700");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("only one\n");
    assertThat(r.err()).isEqualTo("Processed a total of 1 messages\n");
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(8_000);
  }

  @Test
  void anUnreachableBrokerIsReportedByBothTools() {
    String nowhere = FreePort.closedAddress();
    Result produced = ToolRunner.runWithInput("x\n", "console-producer", "--bootstrap-server", nowhere, "--topic", "t");
    assertThat(produced.exitCode()).isEqualTo(1);
    assertThat(produced.err()).startsWith("Error: cannot connect to the broker at " + nowhere);
    Result consumed = ToolRunner.run("console-consumer", "--bootstrap-server", nowhere, "--topic", "t");
    assertThat(consumed.exitCode()).isEqualTo(1);
    assertThat(consumed.err()).startsWith("Error: cannot connect to the broker at " + nowhere);
  }

  @Test
  void commandLinesThatMakeNoSenseAreUsageErrors() {
    assertThat(ToolRunner.run("console-consumer", "--bootstrap-server", bootstrap).err())
        .startsWith("Exactly one of --topic or --include is required");
    Result offsetWithoutPartition = ToolRunner.run("console-consumer", "--topic", "t", "--offset", "3");
    assertThat(offsetWithoutPartition.exitCode()).isEqualTo(2);
    assertThat(offsetWithoutPartition.err()).startsWith("The partition is required when offset is specified.");
    Result badOffset = ToolRunner.run("console-consumer", "--topic", "t", "--partition", "0", "--offset", "-5");
    assertThat(badOffset.exitCode()).isEqualTo(2);
    assertThat(badOffset.err()).startsWith("The provided offset value '-5' is incorrect.");
    Result badRegex = ToolRunner.run("console-consumer", "--bootstrap-server", bootstrap, "--include", "(unclosed");
    assertThat(badRegex.exitCode()).isEqualTo(1);
    assertThat(badRegex.err()).startsWith("Error: '(unclosed' is not a valid regular expression: Unclosed group");
    Result badCodec = ToolRunner.runWithInput("", "console-producer", "--topic", "t", "--compression-codec", "brotli");
    assertThat(badCodec.exitCode()).isEqualTo(2);
    assertThat(badCodec.err()).startsWith("invalid --compression-codec 'brotli'");
    Result badProperty = ToolRunner.runWithInput("", "console-producer", "--topic", "t", "--property", "parse.key");
    assertThat(badProperty.exitCode()).isEqualTo(2);
    assertThat(badProperty.err()).startsWith("invalid --property 'parse.key': expected key=value");
    Result noTopic = ToolRunner.runWithInput("", "console-producer");
    assertThat(noTopic.exitCode()).isEqualTo(2);
    assertThat(noTopic.err()).startsWith("Missing required option: '--topic=TOPIC'");
  }
}
