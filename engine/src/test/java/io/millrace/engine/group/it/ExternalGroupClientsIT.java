package io.millrace.engine.group.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.EmbeddedBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consumer groups of other clients, unmodified: kcat's balanced consumer ({@code -G}, librdkafka
 * 2.0) and kafkajs 2.2 consumers, installed by the engine's pre-integration-test phase.
 */
class ExternalGroupClientsIT {

    static EmbeddedBroker broker;
    static Admin admin;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        broker = EmbeddedBroker.start(Map.of("group.initial.rebalance.delay.ms", "0",
                "offsets.topic.num.partitions", "3"));
        admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
    }

    @AfterAll
    static void stop() {
        admin.close();
        broker.close();
    }

    private static void createTopic(String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }

    private static void fill(String topic, int partitions, int perPartition) {
        ConsumerGroupIT.broker = broker;
        ConsumerGroupIT.produce(topic, partitions, perPartition);
    }

    private static List<String> kcatGroup(String group, String topic, String... extra) {
        List<String> cmd = new ArrayList<>(List.of("kcat", "-u", "-b", broker.bootstrapServers(), "-G", group,
                "-X", "auto.offset.reset=earliest", "-f", "%p %o %s\\n", "-X", "session.timeout.ms=6000",
                "-X", "heartbeat.interval.ms=500", "-X", "auto.commit.interval.ms=200"));
        cmd.addAll(List.of(extra));
        cmd.add(topic);
        return cmd;
    }

    @Test
    void kcatBalancedConsumersShareATopicAndCommit() throws Exception {
        createTopic("kcat-group", 4);
        Path outA = tmp.resolve("a.txt");
        Path outB = tmp.resolve("b.txt");
        Process a = start(kcatGroup("kcat", "kcat-group"), outA);
        Process b = start(kcatGroup("kcat", "kcat-group"), outB);
        try {
            Await.until("both kcat members in the group with two partitions each", Duration.ofSeconds(30), () -> {
                ConsumerGroupDescription d = describe("kcat");
                return d != null && d.members().size() == 2
                        && d.members().stream().allMatch(m -> m.assignment().topicPartitions().size() == 2);
            }, () -> String.valueOf(describe("kcat")));
            // Records come once the group has settled, so each member reads only its own partitions.
            fill("kcat-group", 4, 10);
            Await.until("all 40 records consumed", Duration.ofSeconds(30),
                    () -> lines(outA).size() + lines(outB).size() >= 40, () -> output(outA) + output(outB));
            Await.until("offsets committed to the end", Duration.ofSeconds(30), () -> committedTotal("kcat") == 40);
        } finally {
            stop(a);
            stop(b);
        }
        List<String> all = new ArrayList<>(lines(outA));
        all.addAll(lines(outB));
        assertThat(new TreeSet<>(all)).hasSize(40);
        Set<String> partitionsA = partitions(lines(outA));
        Set<String> partitionsB = partitions(lines(outB));
        assertThat(partitionsA).hasSize(2).doesNotContainAnyElementsOf(partitionsB);
        assertThat(partitionsB).hasSize(2);

        // A new member of the group resumes from the committed offsets: nothing is left to read.
        Path again = tmp.resolve("again.txt");
        Process c = start(kcatGroup("kcat", "kcat-group", "-e"), again);
        assertThat(c.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(lines(again)).isEmpty();
    }

    @Test
    void kafkajsConsumerGroupSharesATopicAndCommits() throws Exception {
        createTopic("kafkajs-group", 4);
        fill("kafkajs-group", 4, 25);
        Path script = Path.of("src", "test", "js", "consume-group.js").toAbsolutePath();
        Path out = tmp.resolve("kafkajs.txt");
        Process p = start(List.of("node", script.toString(), broker.bootstrapServers(), "kafkajs-group",
                "kafkajs", "100", "2"), out);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("kafkajs finished").isTrue();
        String output = Files.readString(out);
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("OK 100 2,2");
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("kafkajs")
                .partitionsToOffsetAndMetadata().get();
        assertThat(committed.values()).extracting(OffsetAndMetadata::offset).containsOnly(25L);
    }

    private static ConsumerGroupDescription describe(String group) {
        try {
            return admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        } catch (Exception e) {
            return null;
        }
    }

    private static long committedTotal(String group) {
        try {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
                    .mapToLong(OffsetAndMetadata::offset).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    private static String output(Path out) {
        try {
            return Files.readString(out) + Files.readString(out.resolveSibling(out.getFileName() + ".err"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static Set<String> partitions(List<String> lines) {
        Set<String> out = new TreeSet<>();
        lines.forEach(l -> out.add(l.split(" ")[0]));
        return out;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .filter(l -> l.matches("\\d+ \\d+ .*")).toList() : List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Process start(List<String> command, Path out) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(out.resolveSibling(out.getFileName() + ".err").toFile());
        pb.environment().put("KAFKAJS_NO_PARTITIONER_WARNING", "1");
        Process p = pb.start();
        p.getOutputStream().close();
        return p;
    }

    /** SIGTERM: kcat closes its consumer (commit, LeaveGroup) and exits. */
    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
    }
}
