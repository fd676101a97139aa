package io.millrace.runtime.tools.perf;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.EmbeddedBroker;
import io.millrace.runtime.tools.FreePort;
import io.millrace.runtime.tools.ToolRunner;
import io.millrace.runtime.tools.ToolRunner.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PerfCommandTest {

  static final String TOTAL = "\\d+ records sent, [\\d.]+ records/sec \\([\\d.]+ MB/sec\\), [\\d.]+ ms avg latency, "
      + "[\\d.]+ ms max latency, \\d+ ms 50th, \\d+ ms 95th, \\d+ ms 99th, \\d+ ms 99.9th\\.";
  static final String WINDOW = "\\d+ records sent, [\\d.]+ records/sec \\([\\d.]+ MB/sec\\), [\\d.]+ ms avg latency, "
      + "[\\d.]+ ms max latency\\.";

  static EmbeddedBroker broker;
  static String bootstrap;
  static Admin admin;
  static final AtomicInteger topics = new AtomicInteger();

  @BeforeAll
  static void start() {
    broker = EmbeddedBroker.start(Map.of("auto.create.topics.enable", "false", "group.initial.rebalance.delay.ms", "0",
        "offsets.topic.num.partitions", "2"));
    bootstrap = broker.bootstrapServers();
    admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
  }

  @AfterAll
  static void stop() {
    admin.close();
    broker.close();
  }

  static String newTopic(int partitions) throws Exception {
    String name = "perf-" + topics.incrementAndGet();
    admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
    return name;
  }

  static long records(String topic, int partitions) throws Exception {
    Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
    for (int p = 0; p < partitions; p++) {
      request.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    return admin.listOffsets(request).all().get().values().stream().mapToLong(i -> i.offset()).sum();
  }

  static Result producerPerf(String topic, String... extra) {
    List<String> args = new ArrayList<>(List.of("perf", "producer", "--bootstrap-server", bootstrap, "--topic", topic));
    args.addAll(List.of(extra));
    return ToolRunner.run(args.toArray(String[]::new));
  }

  static List<ConsumerRecord<String, String>> readAll(String topic, int expected) {
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
        "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> parts = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      c.assign(parts);
      List<ConsumerRecord<String, String>> all = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (all.size() < expected && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(all::add);
      }
      return all;
    }
  }

  @Test
  void producerSendsEveryRecordAndPrintsKafkasSummary() throws Exception {
    String topic = newTopic(2);
    Result r = producerPerf(topic, "--num-records", "3000", "--record-size", "100", "--throughput", "-1",
        "--producer-props", "acks=1", "linger.ms=2");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(lines.size() - 1)).matches(TOTAL).startsWith("3000 records sent, ");
    assertThat(records(topic, 2)).isEqualTo(3000);
  }

  @Test
  void throttledRunsPrintProgressLinesAndTakeTheirTime() throws Exception {
    String topic = newTopic(1);
    long start = System.nanoTime();
    Result r = producerPerf(topic, "--num-records", "600", "--record-size", "10", "--throughput", "2000",
        "--reporting-interval", "100");
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(elapsedMs).as("600 records at 2000/s cannot take less than 0.3 s").isGreaterThanOrEqualTo(290);
    List<String> lines = r.out().lines().toList();
    assertThat(lines.subList(0, lines.size() - 1)).isNotEmpty().allMatch(l -> l.matches(WINDOW));
    assertThat(lines.get(lines.size() - 1)).matches(TOTAL);
  }

  @Test
  void warmupKeysAndPayloadsFollowTheFlags(@TempDir Path dir) throws Exception {
    String topic = newTopic(1);
    Result warm = producerPerf(topic, "--num-records", "100", "--payload-monotonic", "--throughput", "-1",
        "--warmup-records", "20", "--key-distribution", "range", "--record-key-range", "3");
    assertThat(warm.exitCode()).as(warm.toString()).isZero();
    List<String> lines = warm.out().lines().toList();
    assertThat(lines.get(lines.size() - 2)).startsWith("100 records sent, ");
    assertThat(lines.get(lines.size() - 1)).startsWith("80 steady state records sent, ");
    List<ConsumerRecord<String, String>> records = readAll(topic, 100);
    assertThat(records).hasSize(100);
    assertThat(records.get(0).value()).isEqualTo("0");
    assertThat(records.get(99).value()).isEqualTo("99");
    assertThat(records.stream().map(ConsumerRecord::key)).containsOnly("0", "1", "2");

    String fromFile = newTopic(1);
    Path payloads = Files.writeString(dir.resolve("payloads.txt"), "alpha|beta|gamma");
    Result file = producerPerf(fromFile, "--num-records", "50", "--payload-file", payloads.toString(),
        "--payload-delimiter", "|", "--throughput", "-1");
    assertThat(file.exitCode()).as(file.toString()).isZero();
    Set<String> values = new HashSet<>();
    readAll(fromFile, 50).forEach(rec -> values.add(rec.value()));
    assertThat(values).isSubsetOf("alpha", "beta", "gamma").hasSizeGreaterThan(1);
  }

  @Test
  void printMetricsListsTheProducersMetrics() throws Exception {
    String topic = newTopic(1);
    Result r = producerPerf(topic, "--num-records", "10", "--record-size", "10", "--throughput", "-1", "--print-metrics");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Metric Name").contains("producer-metrics:record-send-total:{client-id=perf-producer-client}");
  }

  @Test
  void consumerPerfReadsTheRecordsAndPrintsKafkasCsv() throws Exception {
    String topic = newTopic(2);
    producerPerf(topic, "--num-records", "2000", "--record-size", "50", "--throughput", "-1");
    Result r = ToolRunner.run("perf", "consumer", "--bootstrap-server", bootstrap, "--topic", topic,
        "--num-records", "2000", "--timeout", "10000");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).isEqualTo("start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, "
        + "nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec");
    String[] f = lines.get(1).split(", ");
    assertThat(f).hasSize(10);
    assertThat(f[4]).isEqualTo("2000");
    assertThat(Double.parseDouble(f[2])).isCloseTo(2000 * 50 / (1024.0 * 1024.0), org.assertj.core.data.Offset.offset(0.0001));

    Result tooMany = ToolRunner.run("perf", "consumer", "--bootstrap-server", bootstrap, "--topic", topic,
        "--num-records", "5000", "--timeout", "500", "--hide-header");
    assertThat(tooMany.exitCode()).isEqualTo(1);
    assertThat(tooMany.out()).startsWith("WARNING: Exiting before consuming the expected number of messages: timeout (500 ms)");
    assertThat(tooMany.out().lines().toList().get(1).split(", ")[4]).isEqualTo("2000");
  }

  @Test
  void badArgumentsAndUnreachableBrokersAreReported() {
    Result noPayload = ToolRunner.run("perf", "producer", "--topic", "t", "--num-records", "1", "--throughput", "-1");
    assertThat(noPayload.exitCode()).isEqualTo(2);
    assertThat(noPayload.err()).startsWith("Error: Missing required argument (specify one of these):");
    Result twoPayloads = ToolRunner.run("perf", "producer", "--topic", "t", "--num-records", "1", "--throughput", "-1",
        "--record-size", "1", "--payload-monotonic");
    assertThat(twoPayloads.exitCode()).isEqualTo(2);
    Result keys = ToolRunner.run("perf", "producer", "--topic", "t", "--num-records", "1", "--throughput", "-1",
        "--record-size", "1", "--key-distribution", "random");
    assertThat(keys.exitCode()).isEqualTo(2);
    assertThat(keys.err()).startsWith("--key-distribution random needs a positive --record-key-range");
    Result unknownTopic = producerPerf("no-such-topic", "--num-records", "1", "--record-size", "1", "--throughput", "-1",
        "--producer-props", "max.block.ms=1000");
    assertThat(unknownTopic.exitCode()).isEqualTo(1);
    assertThat(unknownTopic.err()).startsWith("Error: topic 'no-such-topic' is not known to the broker after 1000 ms");
    String nowhere = FreePort.closedAddress();
    Result producer = ToolRunner.run("perf", "producer", "--bootstrap-server", nowhere, "--topic", "t",
        "--num-records", "1", "--record-size", "1", "--throughput", "-1");
    assertThat(producer.exitCode()).isEqualTo(1);
    assertThat(producer.err()).startsWith("Error: cannot connect to the broker at " + nowhere);
    Result consumer = ToolRunner.run("perf", "consumer", "--bootstrap-server", nowhere, "--topic", "t", "--num-records", "1");
    assertThat(consumer.exitCode()).isEqualTo(1);
    assertThat(consumer.err()).startsWith("Error: cannot connect to the broker at " + nowhere);
  }
}
