package io.millrace.runtime.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/walkthrough.md, command by command, as separate processes through {@code bin/millrace}:
 * the broker from a server.properties with {@code delete.topic.enable=true}, then the topics,
 * console producer and console consumer commands as a user types them (only the port differs:
 * the test's broker listens on a free one, and WordCount keeps its state in the test's directory).
 */
class WalkthroughIT {

  static final String INPUT = "all streams lead to kafka\nhello kafka streams\njoin kafka summit\n";

  @TempDir Path dir;
  CliProcess broker;
  String bootstrap;

  @BeforeEach
  void startBroker() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    bootstrap = "localhost:" + port;
    Path properties = Files.writeString(dir.resolve("server.properties"), String.join("\n",
        "listeners=PLAINTEXT://127.0.0.1:" + port,
        "advertised.listeners=PLAINTEXT://localhost:" + port,
        "log.dirs=" + dir.resolve("data"),
        "num.network.threads=1",
        "metrics.port=0",
        "group.initial.rebalance.delay.ms=0",
        "delete.topic.enable=true", ""));
    broker = CliProcess.start(dir, "broker", "--config", properties.toString());
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        break;
      } catch (IOException notYet) {
        assertThat(System.nanoTime()).as("broker listening\n" + broker).isLessThan(deadline);
        assertThat(broker.nextLine(Duration.ofMillis(100))).as("the broker prints nothing on stdout").isNull();
      }
    }
  }

  @AfterEach
  void stopBroker() throws Exception {
    broker.close();
  }

  CliProcess millrace(String stdin, String... args) throws Exception {
    return CliProcess.run(dir, stdin, args);
  }

  @Test
  void quickstartCreateDescribeProduceConsumeDelete() throws Exception {
    CliProcess created = millrace("", "topics", "--create", "--bootstrap-server", bootstrap,
        "--replication-factor", "1", "--partitions", "1", "--topic", "streams-plaintext-input");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    assertThat(created.stdout()).isEqualTo("Created topic streams-plaintext-input.\n");

    CliProcess described = millrace("", "topics", "--bootstrap-server", bootstrap, "--describe",
        "--topic", "streams-plaintext-input");
    assertThat(described.exitCode()).isZero();
    assertThat(described.stdout().lines().toList()).satisfiesExactly(
        topic -> assertThat(topic).matches("Topic: streams-plaintext-input\tTopicId: \\S+\tPartitionCount: 1\t"
            + "ReplicationFactor: 1\tConfigs: .*"),
        partition -> assertThat(partition).isEqualTo("\tTopic: streams-plaintext-input\tPartition: 0\tLeader: 1\t"
            + "Replicas: 1\tIsr: 1"));

    CliProcess produced = millrace(INPUT, "console-producer", "--bootstrap-server", bootstrap,
        "--topic", "streams-plaintext-input");
    assertThat(produced.exitCode()).as(produced.toString()).isZero();

    CliProcess consumed = millrace("", "console-consumer", "--bootstrap-server", bootstrap,
        "--topic", "streams-plaintext-input", "--from-beginning", "--max-messages", "3");
    assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
    assertThat(consumed.stdout()).isEqualTo(INPUT);
    assertThat(consumed.stderr()).contains("Processed a total of 3 messages");

    try (CliProcess following = CliProcess.start(dir, "console-consumer", "--bootstrap-server", bootstrap,
        "--topic", "streams-plaintext-input", "--from-beginning")) {
      for (String expected : INPUT.split("\n")) {
        assertThat(following.nextLine(Duration.ofSeconds(30))).as(following.toString()).isEqualTo(expected);
      }
      assertThat(following.stop()).as("Ctrl-C (SIGTERM) ends it through its shutdown hook").isEqualTo(143);
      assertThat(following.stderr()).contains("Processed a total of 3 messages");
    }

    CliProcess deleted = millrace("", "topics", "--bootstrap-server", bootstrap, "--delete",
        "--topic", "streams-plaintext-input");
    assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
    CliProcess listed = millrace("", "topics", "--bootstrap-server", bootstrap, "--list");
    assertThat(listed.stdout().lines()).doesNotContain("streams-plaintext-input");

    broker.close();
    CliProcess unreachable = millrace("", "topics", "--bootstrap-server", bootstrap, "--list");
    assertThat(unreachable.exitCode()).isEqualTo(1);
    assertThat(unreachable.stderr()).startsWith("Error: cannot connect to the broker at " + bootstrap);
  }

  @Test
  void wordCountPrintsWordsAndCounts() throws Exception {
    assertThat(millrace("", "topics", "--create", "--bootstrap-server", bootstrap, "--replication-factor", "1",
        "--partitions", "1", "--topic", "streams-plaintext-input").exitCode()).isZero();
    assertThat(millrace("", "topics", "--create", "--bootstrap-server", bootstrap, "--replication-factor", "1",
        "--partitions", "1", "--topic", "streams-wordcount-output", "--config", "cleanup.policy=compact").exitCode()).isZero();
    // Its own state dir: the default (/tmp/millrace-streams) may hold counts of an earlier run.
    try (CliProcess wordCount = CliProcess.start(dir, "streams", "run", "WordCount", "--bootstrap-server", bootstrap,
             "--state-dir", dir.resolve("streams-state").toString(), "--config", "metrics.port=0");
         CliProcess counts = CliProcess.start(dir, "console-consumer", "--bootstrap-server", bootstrap,
             "--topic", "streams-wordcount-output", "--from-beginning",
             "--formatter", "kafka.tools.DefaultMessageFormatter",
             "--property", "print.key=true", "--property", "print.value=true",
             "--property", "key.deserializer=org.apache.kafka.common.serialization.StringDeserializer",
             "--property", "value.deserializer=org.apache.kafka.common.serialization.LongDeserializer")) {
      CliProcess produced = millrace(INPUT, "console-producer", "--bootstrap-server", bootstrap,
          "--topic", "streams-plaintext-input");
      assertThat(produced.exitCode()).as(produced.toString()).isZero();

      Map<String, Long> expected = Map.of("all", 1L, "streams", 2L, "lead", 1L, "to", 1L, "kafka", 3L,
          "hello", 1L, "join", 1L, "summit", 1L);
      Map<String, Long> latest = new LinkedHashMap<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (!latest.equals(expected) && System.nanoTime() < deadline) {
        String line = counts.nextLine(Duration.ofSeconds(1));
        if (line != null) {
          String[] wordAndCount = line.split("\t");
          assertThat(wordAndCount).as("word<TAB>count: '" + line + "'").hasSize(2);
          latest.put(wordAndCount[0], Long.parseLong(wordAndCount[1]));
        }
      }
      assertThat(latest).as(counts + "\n" + wordCount).isEqualTo(expected);
      assertThat(counts.stop()).as("the console consumer stops cleanly on SIGTERM").isIn(0, 143);
      assertThat(counts.stderr()).contains("Processed a total of");

      CliProcess groups = millrace("", "consumer-groups", "--bootstrap-server", bootstrap, "--list");
      assertThat(groups.stdout().lines()).contains("streams-wordcount");
    }
  }
}
