package io.millrace.runtime.tools.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.EmbeddedBroker;
import io.millrace.runtime.tools.FreePort;
import io.millrace.runtime.tools.ToolRunner;
import io.millrace.runtime.tools.ToolRunner.Result;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicsCommandTest {

  static EmbeddedBroker broker;
  static String bootstrap;

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedBroker.start(Map.of("num.partitions", "2", "delete.topic.enable", "true"));
    bootstrap = broker.bootstrapServers();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  static Result topics(String... args) {
    String[] full = new String[args.length + 3];
    full[0] = "topics";
    full[1] = "--bootstrap-server";
    full[2] = bootstrap;
    System.arraycopy(args, 0, full, 3, args.length);
    return ToolRunner.run(full);
  }

  @Test
  void createsListsAndDescribesATopic() {
    Result created = topics("--create", "--topic", "walk-input", "--partitions", "3", "--replication-factor", "1");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    assertThat(created.out()).isEqualTo("Created topic walk-input.\n");

    Result listed = topics("--list");
    assertThat(listed.exitCode()).isZero();
    assertThat(listed.out().lines()).contains("walk-input");

    Result described = topics("--describe", "--topic", "walk-input");
    assertThat(described.exitCode()).as(described.toString()).isZero();
    var lines = described.out().lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).matches("Topic: walk-input\tTopicId: \\S+\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: .*");
    for (int p = 0; p < 3; p++) {
      assertThat(lines.get(p + 1)).startsWith("\tTopic: walk-input\tPartition: " + p + "\tLeader: 1\tReplicas: 1\tIsr: 1");
    }
  }

  @Test
  void createUsesTheBrokerDefaultsAndShowsConfigOverrides() {
    Result created = topics("--create", "--topic", "compacted", "--config", "cleanup.policy=compact",
        "--config", "retention.ms=60000");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    Result described = topics("--describe", "--topic", "compacted");
    assertThat(described.out()).contains("PartitionCount: 2").contains("cleanup.policy=compact").contains("retention.ms=60000");
    Result overrides = topics("--describe", "--topics-with-overrides");
    assertThat(overrides.out()).contains("Topic: compacted\t").doesNotContain("\tPartition: ");
  }

  @Test
  void creatingAnExistingTopicFailsUnlessIfNotExists() {
    assertThat(topics("--create", "--topic", "twice").exitCode()).isZero();
    Result again = topics("--create", "--topic", "twice");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).isEqualTo("Error: topic 'twice' already exists (--if-not-exists accepts that)\n");
    Result tolerated = topics("--create", "--topic", "twice", "--if-not-exists");
    assertThat(tolerated.exitCode()).isZero();
    assertThat(tolerated.out()).isEmpty();
  }

  @Test
  void anInvalidConfigValueIsRefusedAndNothingIsCreated() {
    Result bad = topics("--create", "--topic", "bad-config", "--config", "retention.ms=soon");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).startsWith("Error: ").contains("retention.ms").contains("soon");
    assertThat(topics("--list").out().lines()).doesNotContain("bad-config");

    Result unknownKey = topics("--create", "--topic", "bad-config", "--config", "no.such.config=1");
    assertThat(unknownKey.exitCode()).isEqualTo(1);
    assertThat(unknownKey.err()).contains("no.such.config");
    assertThat(topics("--list").out().lines()).doesNotContain("bad-config");
  }

  @Test
  void invalidTopicNamesAndCountsAreRefused() {
    Result name = topics("--create", "--topic", "no spaces please");
    assertThat(name.exitCode()).isEqualTo(1);
    assertThat(name.err()).startsWith("Error: invalid topic name 'no spaces please'");
    Result partitions = topics("--create", "--topic", "zero", "--partitions", "0");
    assertThat(partitions.exitCode()).isEqualTo(1);
    assertThat(partitions.err()).isEqualTo("Error: the partitions must be greater than 0\n");
    Result rf = topics("--create", "--topic", "rf", "--replication-factor", "3");
    assertThat(rf.exitCode()).isEqualTo(1);
    assertThat(rf.err()).startsWith("Error: ").containsIgnoringCase("replication factor");
  }

  @Test
  void describingAnUnknownTopicFailsUnlessIfExists() {
    Result unknown = topics("--describe", "--topic", "nowhere");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).isEqualTo("Error: topic 'nowhere' does not exist (--if-exists accepts that)\n");
    Result tolerated = topics("--describe", "--topic", "nowhere", "--if-exists");
    assertThat(tolerated.exitCode()).isZero();
    assertThat(tolerated.out()).isEmpty();
  }

  @Test
  void aBadRegexIsReported() {
    Result bad = topics("--describe", "--topic", "orders[");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).startsWith("Error: 'orders[' is not a valid regular expression: Unclosed character class");
  }

  @Test
  void listAndDescribeTakeARegex() {
    topics("--create", "--topic", "rx-a", "--partitions", "1");
    topics("--create", "--topic", "rx-b", "--partitions", "1");
    Result listed = topics("--list", "--topic", "rx-.*");
    assertThat(listed.out()).isEqualTo("rx-a\nrx-b\n");
    Result described = topics("--describe", "--topic", "rx-a,rx-b");
    assertThat(described.out().lines().filter(l -> l.startsWith("Topic: "))).hasSize(2);
  }

  @Test
  void alterAddsPartitionsAndRefusesToRemoveThem() {
    topics("--create", "--topic", "growing", "--partitions", "1");
    Result grown = topics("--alter", "--topic", "growing", "--partitions", "4");
    assertThat(grown.exitCode()).as(grown.toString()).isZero();
    assertThat(grown.out()).isEqualTo("Topic growing now has 4 partitions.\n");
    assertThat(topics("--describe", "--topic", "growing").out()).contains("PartitionCount: 4");

    Result shrink = topics("--alter", "--topic", "growing", "--partitions", "2");
    assertThat(shrink.exitCode()).isEqualTo(1);
    assertThat(shrink.err()).startsWith("Error: cannot alter topic growing: ").contains("4").contains("2");
    assertThat(topics("--describe", "--topic", "growing").out()).contains("PartitionCount: 4");
  }

  @Test
  void deletesByNameAndByRegex() {
    topics("--create", "--topic", "doomed-1");
    topics("--create", "--topic", "doomed-2");
    topics("--create", "--topic", "kept");
    Result one = topics("--delete", "--topic", "doomed-1");
    assertThat(one.exitCode()).as(one.toString()).isZero();
    assertThat(one.out()).isEqualTo("Deleted topic doomed-1.\n");
    topics("--create", "--topic", "doomed-3");
    Result many = topics("--delete", "--topic", "doomed-.*");
    assertThat(many.exitCode()).isZero();
    assertThat(many.out()).isEqualTo("Deleted topic doomed-2.\nDeleted topic doomed-3.\n");
    assertThat(topics("--list").out().lines()).contains("kept").noneMatch(t -> t.startsWith("doomed-"));

    Result missing = topics("--delete", "--topic", "doomed-1");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("Error: topic 'doomed-1' does not exist (--if-exists accepts that)\n");
    assertThat(topics("--delete", "--topic", "doomed-1", "--if-exists").exitCode()).isZero();
  }

  @Test
  void aBrokerWithTopicDeletionDisabledSaysWhichSettingToChange() {
    try (EmbeddedBroker strict = EmbeddedBroker.start(Map.of("delete.topic.enable", "false"))) {
      String servers = strict.bootstrapServers();
      assertThat(ToolRunner.run("topics", "--bootstrap-server", servers, "--create", "--topic", "kept").exitCode()).isZero();
      Result r = ToolRunner.run("topics", "--bootstrap-server", servers, "--delete", "--topic", "kept");
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).isEqualTo("Error: cannot delete topic kept: topic deletion is disabled on the broker at "
          + servers + ": set delete.topic.enable=true in its server.properties and restart it.\n");
      assertThat(ToolRunner.run("topics", "--bootstrap-server", servers, "--list").out()).isEqualTo("kept\n");
    }
  }

  @Test
  void theZooKeeperFlagOfOlderKafkaIsAcceptedWithANotice() {
    Result r = ToolRunner.run("topics", "--zookeeper", "localhost:2181", "--bootstrap-server", bootstrap, "--list");
    assertThat(r.exitCode()).isZero();
    assertThat(r.err()).isEqualTo("Note: Millrace needs no ZooKeeper; ignoring --zookeeper localhost:2181 and "
        + "connecting to --bootstrap-server " + bootstrap + ".\n");
  }

  @Test
  void anUnreachableBrokerIsReportedAtOnce() {
    String nowhere = FreePort.closedAddress();
    long start = System.nanoTime();
    Result r = ToolRunner.run("topics", "--bootstrap-server", nowhere, "--list");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("Error: cannot connect to the broker at " + nowhere + " (")
        .contains("connection refused").contains("Is it running?");
    assertThat(r.out()).isEmpty();
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
  }

  @Test
  void aBrokerThatNeverAnswersTimesOutWithinTheConfiguredTime(@TempDir Path dir) throws Exception {
    Path config = Files.writeString(dir.resolve("admin.properties"), "default.api.timeout.ms=1500\nrequest.timeout.ms=1000\n");
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String address = "127.0.0.1:" + silent.getLocalPort();
      long start = System.nanoTime();
      Result r = ToolRunner.run("topics", "--bootstrap-server", address, "--list", "--command-config", config.toString());
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).startsWith("Error: timed out waiting for the broker at " + address + " (")
          .contains("Is it running and reachable?");
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(15_000);
    }
  }

  @Test
  void aMissingCommandConfigFileIsReported() {
    Result r = topics("--list", "--command-config", "/no/such/admin.properties");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("Error: config file /no/such/admin.properties does not exist\n");
  }

  @Test
  void commandLinesThatMakeNoSenseAreUsageErrors() {
    Result none = topics();
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).startsWith("Command must include exactly one action: --list, --describe, --create, --alter or --delete");
    Result two = topics("--list", "--describe");
    assertThat(two.exitCode()).isEqualTo(2);
    Result noTopic = topics("--create");
    assertThat(noTopic.exitCode()).isEqualTo(2);
    assertThat(noTopic.err()).startsWith("Missing required argument \"[topic]\"");
    Result alterConfig = topics("--alter", "--topic", "x", "--partitions", "2", "--config", "a=b");
    assertThat(alterConfig.exitCode()).isEqualTo(2);
    assertThat(alterConfig.err()).contains("millrace configs --alter");
    Result unknownFlag = topics("--list", "--frobnicate");
    assertThat(unknownFlag.exitCode()).isEqualTo(2);
    assertThat(unknownFlag.err()).startsWith("Unknown option: '--frobnicate'");
    Result notANumber = topics("--create", "--topic", "x", "--partitions", "many");
    assertThat(notANumber.exitCode()).isEqualTo(2);
    assertThat(notANumber.err()).contains("'many' is not an int");
  }

  @Test
  void helpListsKafkasFlags() {
    Result help = ToolRunner.run("topics", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("--bootstrap-server", "--create", "--list", "--describe", "--alter", "--delete",
        "--partitions", "--replication-factor", "--config", "--if-not-exists", "--under-replicated-partitions");
  }
}
