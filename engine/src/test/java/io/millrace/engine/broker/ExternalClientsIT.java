package io.millrace.engine.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.EmbeddedBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Clients in other languages, unmodified: kcat (librdkafka 2.0) for metadata, produce and consume
 * with every compression codec; kafkajs 2.2 producing (read back here with kafka-clients).
 * The engine's pre-integration-test phase installs both.
 */
class ExternalClientsIT {

  static EmbeddedBroker broker;

  @TempDir
  Path tmp;

  @BeforeAll
  static void start() {
    broker = EmbeddedBroker.start();
    ClientRoundTripIT.broker = broker;
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void kcatListsMetadata() throws Exception {
    createTopic("kcat-metadata");
    String out = run(List.of("kcat", "-b", broker.bootstrapServers(), "-L", "-t", "kcat-metadata"), null);
    assertThat(out).contains("1 brokers:").contains("broker 1 at " + broker.bootstrapServers())
        .contains("topic \"kcat-metadata\" with 1 partitions:").contains("partition 0, leader 1, replicas: 1, isrs: 1");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
  void kcatProducesAndConsumesWithEveryCodec(String codec) throws Exception {
    String topic = "kcat-" + codec;
    createTopic(topic);
    StringBuilder input = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      input.append("line-").append(i).append('\n');
    }
    run(List.of("kcat", "-b", broker.bootstrapServers(), "-P", "-t", topic, "-p", "0", "-z", codec,
        "-X", "enable.idempotence=true"), input.toString());
    String out = run(List.of("kcat", "-b", broker.bootstrapServers(), "-C", "-t", topic, "-p", "0", "-o",
        "beginning", "-c", "300", "-e", "-f", "%o %s\\n"), null);
    List<String> lines = out.lines().toList();
    assertThat(lines).hasSize(300);
    for (int i = 0; i < 300; i++) {
      assertThat(lines.get(i)).isEqualTo(i + " line-" + i);
    }
    // kafka-clients reads what kcat wrote, too.
    List<ConsumerRecord<String, String>> records = ClientRoundTripIT.consumeFrom(topic, 0, 300);
    assertThat(records).hasSize(300);
    assertThat(records.get(299).value()).isEqualTo("line-299");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"none", "gzip"})
  void kafkajsProduces(String codec) throws Exception {
    Path script = Path.of("src", "test", "js", "produce.js").toAbsolutePath();
    String topic = "kafkajs-" + codec;
    String out = run(List.of("node", script.toString(), broker.bootstrapServers(), topic, "1000", codec), null);
    assertThat(out).contains("OK 1000");
    List<ConsumerRecord<String, String>> records = ClientRoundTripIT.consumeFrom(topic, 0, 1000);
    assertThat(records).hasSize(1000);
    for (int i = 0; i < 1000; i++) {
      assertThat(records.get(i).key()).isEqualTo("k" + i);
      assertThat(records.get(i).value()).isEqualTo("value-" + i);
    }
  }

  private static void createTopic(String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
  }

  private String run(List<String> command, String stdin) throws IOException, InterruptedException {
    Path out = Files.createTempFile(tmp, "out", ".txt");
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
        .redirectOutput(out.toFile());
    pb.environment().put("KAFKAJS_NO_PARTITIONER_WARNING", "1");
    Process process = pb.start();
    if (stdin != null) {
      process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    process.getOutputStream().close();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError(command + " did not finish in 60 s:\n" + Files.readString(out));
    }
    String output = Files.readString(out);
    assertThat(process.exitValue()).as("%s exited with output:%n%s", command, output).isZero();
    return output;
  }
}
