package io.millrace.runtime.tools.groups;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.EmbeddedBroker;
import io.millrace.runtime.tools.FreePort;
import io.millrace.runtime.tools.ToolRunner;
import io.millrace.runtime.tools.ToolRunner.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * consumer-groups against one broker. Each test works on its own groups; the topic {@code orders}
 * (2 partitions, 10 records: 6 in partition 0, 4 in partition 1) is shared and never written after setup.
 */
class ConsumerGroupsCommandTest {

  static EmbeddedBroker broker;
  static String bootstrap;
  static Admin admin;
  static final AtomicInteger groupIds = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedBroker.start(Map.of("group.initial.rebalance.delay.ms", "0", "offsets.topic.num.partitions", "3"));
    bootstrap = broker.bootstrapServers();
    admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
    admin.createTopics(List.of(new NewTopic("orders", 2, (short) 1))).all().get();
    try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
        new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < 10; i++) {
        p.send(new ProducerRecord<>("orders", i < 6 ? 0 : 1, null, "order-" + i));
      }
      p.flush();
    }
  }

  @AfterAll
  static void stop() {
    admin.close();
    broker.close();
  }

  static Result groups(String... args) {
    String[] full = new String[args.length + 3];
    full[0] = "consumer-groups";
    full[1] = "--bootstrap-server";
    full[2] = bootstrap;
    System.arraycopy(args, 0, full, 3, args.length);
    return ToolRunner.run(full);
  }

  /** A group with no members and committed offsets 2 (partition 0) and 4 (partition 1). */
  static String emptyGroupWithOffsets() throws Exception {
    String group = "g" + groupIds.incrementAndGet();
    admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition("orders", 0), new OffsetAndMetadata(2),
        new TopicPartition("orders", 1), new OffsetAndMetadata(4))).all().get();
    return group;
  }

  static KafkaConsumer<String, String> activeMember(String group) {
    KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, "group.id", group,
        "client.id", "member-of-" + group, "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer());
    c.subscribe(List.of("orders"));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (c.assignment().size() < 2) {
      c.poll(Duration.ofMillis(100));
      assertThat(System.nanoTime()).as("joined the group in time").isLessThan(deadline);
    }
    return c;
  }

  static Map<TopicPartition, Long> committed(String group) throws Exception {
    Map<TopicPartition, Long> offsets = new java.util.TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().forEach((tp, o) -> offsets.put(tp, o.offset()));
    return offsets;
  }

  @Test
  void describeShowsOffsetsLogEndAndLagOfAnEmptyGroup() throws Exception {
    String group = emptyGroupWithOffsets();
    Result r = groups("--describe", "--group", group);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.err()).isEqualTo("Consumer group '" + group + "' has no active members.\n");
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).isEmpty();
    assertThat(lines.get(1).split("\\s+")).containsExactly("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET",
        "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID");
    assertThat(lines.get(2).split("\\s+")).containsExactly(group, "orders", "0", "2", "6", "4", "-", "-", "-");
    assertThat(lines.get(3).split("\\s+")).containsExactly(group, "orders", "1", "4", "4", "0", "-", "-", "-");
    int lagColumn = lines.get(1).indexOf("LAG");
    assertThat(lines.get(2).charAt(lagColumn)).as("aligned").isEqualTo('4');
  }

  @Test
  void describeShowsTheMembersOfAnActiveGroup() throws Exception {
    String group = "active-" + groupIds.incrementAndGet();
    try (KafkaConsumer<String, String> member = activeMember(group)) {
      member.commitSync(Map.of(new TopicPartition("orders", 0), new OffsetAndMetadata(5)));
      Result offsets = groups("--describe", "--group", group);
      assertThat(offsets.exitCode()).as(offsets.toString()).isZero();
      assertThat(offsets.err()).isEmpty();
      assertThat(offsets.out()).contains("member-of-" + group).contains("/127.0.0.1");
      String row0 = offsets.out().lines().filter(l -> l.contains(" orders ") && l.split("\\s+")[2].equals("0")).findFirst().orElseThrow();
      assertThat(row0.split("\\s+")).startsWith(group, "orders", "0", "5", "6", "1");
      String row1 = offsets.out().lines().filter(l -> l.contains(" orders ") && l.split("\\s+")[2].equals("1")).findFirst().orElseThrow();
      assertThat(row1.split("\\s+")).startsWith(group, "orders", "1", "-", "4", "-");

      Result members = groups("--describe", "--group", group, "--members", "--verbose");
      assertThat(members.out().lines().toList().get(1).split("\\s+"))
          .containsExactly("GROUP", "CONSUMER-ID", "HOST", "CLIENT-ID", "#PARTITIONS", "ASSIGNMENT");
      assertThat(members.out()).contains("member-of-" + group).contains("orders:0,1");

      Result state = groups("--describe", "--group", group, "--state");
      assertThat(state.out()).contains("COORDINATOR (ID)").contains("ASSIGNMENT-STRATEGY").contains("Stable")
          .contains("range");

      Result reset = groups("--reset-offsets", "--group", group, "--topic", "orders", "--to-earliest", "--execute");
      assertThat(reset.exitCode()).isEqualTo(1);
      assertThat(reset.err()).isEqualTo("Error: assignments can only be reset if the group '" + group
          + "' is inactive, but the current state is Stable. Stop its consumers first.\n");

      Result delete = groups("--delete", "--group", group);
      assertThat(delete.exitCode()).isEqualTo(1);
      assertThat(delete.err()).startsWith("Error: deletion of some consumer groups failed:\n* Group '" + group
          + "' could not be deleted: ");
    }
  }

  @Test
  void listShowsGroupsAndTheirStates() throws Exception {
    String group = emptyGroupWithOffsets();
    Result plain = groups("--list");
    assertThat(plain.exitCode()).isZero();
    assertThat(plain.out().lines()).contains(group);
    Result withState = groups("--list", "--state");
    assertThat(withState.out().lines().toList().get(0).split("\\s+")).containsExactly("GROUP", "STATE");
    assertThat(withState.out().lines()).anyMatch(l -> l.split("\\s+")[0].equals(group) && l.endsWith("Empty"));
    Result stable = groups("--list", "--state", "stable");
    assertThat(stable.out().lines()).noneMatch(l -> l.startsWith(group + " "));
    Result bad = groups("--list", "--state", "sleepy");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).startsWith("unknown group state 'sleepy'");
  }

  @Test
  void anUnknownGroupIsReported() {
    Result r = groups("--describe", "--group", "nobody-home");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("Error: consumer group 'nobody-home' does not exist.\n");
  }

  @Test
  void resetOffsetsIsADryRunUnlessExecuted() throws Exception {
    String group = emptyGroupWithOffsets();
    Result dry = groups("--reset-offsets", "--group", group, "--topic", "orders", "--to-earliest");
    assertThat(dry.exitCode()).as(dry.toString()).isZero();
    assertThat(dry.err()).startsWith("WARN: No action will be performed as the --execute option is missing.");
    assertThat(dry.out().lines().toList().get(1).split("\\s+")).containsExactly("GROUP", "TOPIC", "PARTITION", "NEW-OFFSET");
    assertThat(dry.out().lines().skip(2).map(l -> List.of(l.split("\\s+"))))
        .containsExactly(List.of(group, "orders", "0", "0"), List.of(group, "orders", "1", "0"));
    assertThat(committed(group).values()).containsExactly(2L, 4L);

    Result executed = groups("--reset-offsets", "--group", group, "--topic", "orders", "--to-earliest", "--execute");
    assertThat(executed.exitCode()).isZero();
    assertThat(executed.err()).isEmpty();
    assertThat(committed(group).values()).containsExactly(0L, 0L);
  }

  @Test
  void resetOffsetsComputesEachSpecification() throws Exception {
    String group = emptyGroupWithOffsets();
    assertThat(groups("--reset-offsets", "--group", group, "--all-topics", "--to-latest", "--execute").exitCode()).isZero();
    assertThat(committed(group).values()).containsExactly(6L, 4L);
    groups("--reset-offsets", "--group", group, "--all-topics", "--shift-by", "-3", "--execute");
    assertThat(committed(group).values()).containsExactly(3L, 1L);
    Result clamped = groups("--reset-offsets", "--group", group, "--topic", "orders:1", "--to-offset", "99", "--execute");
    assertThat(clamped.err()).contains("Note: new offset 99 of orders-1 is after the log end; using 4.");
    assertThat(committed(group).values()).containsExactly(3L, 4L);
    groups("--reset-offsets", "--group", group, "--all-topics", "--to-datetime", "2000-01-01T00:00:00.000", "--execute");
    assertThat(committed(group).values()).containsExactly(0L, 0L);
    groups("--reset-offsets", "--group", group, "--all-topics", "--by-duration", "PT0S", "--execute");
    assertThat(committed(group).values()).containsExactly(6L, 4L);
    groups("--reset-offsets", "--group", group, "--all-topics", "--to-current", "--execute");
    assertThat(committed(group).values()).containsExactly(6L, 4L);
  }

  @Test
  void exportedOffsetsCanBeAppliedFromAFile(@TempDir Path dir) throws Exception {
    String source = emptyGroupWithOffsets();
    Result exported = groups("--reset-offsets", "--group", source, "--all-topics", "--to-current", "--export", "--dry-run");
    assertThat(exported.out()).isEqualTo("orders,0,2\norders,1,4\n");
    Path csv = Files.writeString(dir.resolve("offsets.csv"), exported.out());
    String target = "copy-" + groupIds.incrementAndGet();
    Result applied = groups("--reset-offsets", "--group", target, "--from-file", csv.toString(), "--execute");
    assertThat(applied.exitCode()).as(applied.toString()).isZero();
    assertThat(committed(target).values()).containsExactly(2L, 4L);

    Path broken = Files.writeString(dir.resolve("broken.csv"), "orders,zero,1\n");
    Result bad = groups("--reset-offsets", "--group", target, "--from-file", broken.toString(), "--execute");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).isEqualTo("Error: " + broken + " line 1: partition and offset must be numbers in 'orders,zero,1'\n");
  }

  @Test
  void deleteRemovesAnEmptyGroupAndDeleteOffsetsItsOffsets() throws Exception {
    String group = emptyGroupWithOffsets();
    Result offsets = groups("--delete-offsets", "--group", group, "--topic", "orders:1");
    assertThat(offsets.exitCode()).as(offsets.toString()).isZero();
    assertThat(offsets.out()).contains("orders  1          Successful");
    assertThat(committed(group)).containsOnlyKeys(new TopicPartition("orders", 0));

    Result deleted = groups("--delete", "--group", group);
    assertThat(deleted.exitCode()).isZero();
    assertThat(deleted.out()).isEqualTo("Deletion of requested consumer groups ('" + group + "') was successful.\n");
    assertThat(groups("--list").out().lines()).doesNotContain(group);
  }

  @Test
  void badArgumentsAreReported() {
    Result unknownTopic = groups("--reset-offsets", "--group", "g", "--topic", "no-such-topic", "--to-earliest", "--dry-run");
    assertThat(unknownTopic.exitCode()).isEqualTo(1);
    assertThat(unknownTopic.err()).isEqualTo("Error: topic 'no-such-topic' does not exist\n");
    Result noSpec = groups("--reset-offsets", "--group", "g", "--all-topics");
    assertThat(noSpec.exitCode()).isEqualTo(2);
    assertThat(noSpec.err()).startsWith("Option --reset-offsets takes exactly one of: --to-datetime");
    Result twoSpecs = groups("--reset-offsets", "--group", "g", "--all-topics", "--to-earliest", "--to-latest");
    assertThat(twoSpecs.exitCode()).isEqualTo(2);
    Result noScope = groups("--reset-offsets", "--group", "g", "--to-earliest");
    assertThat(noScope.exitCode()).isEqualTo(2);
    Result badTime = groups("--reset-offsets", "--group", "g", "--all-topics", "--to-datetime", "yesterday", "--dry-run");
    assertThat(badTime.exitCode()).isEqualTo(2);
    assertThat(badTime.err()).startsWith("invalid --to-datetime 'yesterday': expected YYYY-MM-DDThh:mm:ss.sss");
    Result badDuration = groups("--reset-offsets", "--group", "g", "--all-topics", "--by-duration", "1h", "--dry-run");
    assertThat(badDuration.exitCode()).isEqualTo(2);
    assertThat(badDuration.err()).startsWith("invalid --by-duration '1h'");
    Result noGroup = groups("--describe");
    assertThat(noGroup.exitCode()).isEqualTo(2);
    assertThat(noGroup.err()).startsWith("Option --describe takes one of these options: --all-groups, --group");
    Result noAction = groups();
    assertThat(noAction.exitCode()).isEqualTo(2);
  }

  @Test
  void anUnreachableBrokerIsReported() {
    String nowhere = FreePort.closedAddress();
    Result r = ToolRunner.run("consumer-groups", "--bootstrap-server", nowhere, "--list");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("Error: cannot connect to the broker at " + nowhere);
  }
}
