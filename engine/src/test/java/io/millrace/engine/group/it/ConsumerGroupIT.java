package io.millrace.engine.group.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.EmbeddedBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** kafka-clients 4.4 consumers in groups against the broker's group coordinator. */
class ConsumerGroupIT {

    static EmbeddedBroker broker;
    private final List<GroupMember> members = new ArrayList<>();

    @BeforeAll
    static void start() {
        broker = EmbeddedBroker.start(Map.of("group.initial.rebalance.delay.ms", "0",
                "offsets.topic.num.partitions", "5"));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @AfterEach
    void closeMembers() throws InterruptedException {
        for (GroupMember m : members) {
            m.close();
        }
    }

    static void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    static void produce(String topic, int partitions, int perPartition) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                broker.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            for (int p = 0; p < partitions; p++) {
                for (int i = 0; i < perPartition; i++) {
                    producer.send(new ProducerRecord<>(topic, p, "k", p + "-" + i));
                }
            }
            producer.flush();
        }
    }

    private GroupMember member(String group, String topic) {
        GroupMember m = new GroupMember(GroupMember.props(broker.bootstrapServers(), group), topic);
        members.add(m);
        return m;
    }

    private static boolean partitionsSplit(List<GroupMember> group, int partitions, int... shares) {
        Set<Integer> all = new HashSet<>();
        List<Integer> sizes = new ArrayList<>();
        for (GroupMember m : group) {
            Set<Integer> owned = m.owned();
            for (Integer p : owned) {
                if (!all.add(p)) {
                    return false;
                }
            }
            sizes.add(owned.size());
        }
        List<Integer> expected = new ArrayList<>();
        for (int s : shares) {
            expected.add(s);
        }
        sizes.sort(null);
        expected.sort(null);
        return all.size() == partitions && sizes.equals(expected);
    }

    private static String describe(List<GroupMember> group) {
        StringBuilder b = new StringBuilder();
        group.forEach(m -> b.append(m.owned()).append(m.failure() == null ? "" : " failed: " + m.failure()).append(' '));
        return b.toString();
    }

    @Test
    void oneTwoAndThreeMembersShareSixPartitionsFairly() throws Exception {
        createTopic("fair", 6);
        GroupMember a = member("fair-group", "fair");
        Await.until("one member owning all six", Duration.ofSeconds(20),
                () -> partitionsSplit(List.of(a), 6, 6), () -> describe(List.of(a)));
        GroupMember b = member("fair-group", "fair");
        Await.until("three each", Duration.ofSeconds(20),
                () -> partitionsSplit(List.of(a, b), 6, 3, 3), () -> describe(List.of(a, b)));
        GroupMember c = member("fair-group", "fair");
        Await.until("two each", Duration.ofSeconds(20),
                () -> partitionsSplit(List.of(a, b, c), 6, 2, 2, 2), () -> describe(List.of(a, b, c)));

        produce("fair", 6, 10);
        Await.until("all 60 records consumed once", Duration.ofSeconds(20),
                () -> a.received.size() + b.received.size() + c.received.size() >= 60);
        Set<String> seen = new TreeSet<>();
        List.of(a, b, c).forEach(m -> seen.addAll(m.values()));
        assertThat(seen).hasSize(60);
        assertThat(a.received.size() + b.received.size() + c.received.size()).isEqualTo(60);
    }

    @Test
    void aMemberThatStopsHeartbeatingLosesItsPartitionsWithinTheSessionTimeout() throws Exception {
        createTopic("crash", 6);
        GroupMember survivor = member("crash-group", "crash");
        java.nio.file.Path log = MemberProcess.tempLog();
        try (MemberProcess doomed = MemberProcess.start(broker.bootstrapServers(), "crash-group", "crash", log)) {
            Await.until("three each", Duration.ofSeconds(30),
                    () -> survivor.owned().size() == 3 && doomed.owned().size() == 3,
                    () -> survivor.owned() + " / " + doomed.owned());
            long killedAt = System.nanoTime();
            doomed.kill();
            // session timeout 6 s, then one join phase of the survivor
            Await.until("the survivor owning all six", Duration.ofSeconds(6 + 5),
                    () -> survivor.owned().size() == 6, () -> survivor.owned().toString());
            long tookMs = (System.nanoTime() - killedAt) / 1_000_000;
            assertThat(tookMs).as("not before the session timeout").isGreaterThanOrEqualTo(5_000);
        } finally {
            java.nio.file.Files.deleteIfExists(log);
        }
    }

    @Test
    void aMemberThatClosesLeavesAtOnce() throws Exception {
        createTopic("close", 6);
        java.util.Properties slow = GroupMember.props(broker.bootstrapServers(), "close-group");
        slow.put("session.timeout.ms", "30000");
        GroupMember stays = new GroupMember(slow, "close");
        members.add(stays);
        GroupMember leaves = new GroupMember(slow, "close");
        Await.until("three each", Duration.ofSeconds(20),
                () -> stays.owned().size() == 3 && leaves.owned().size() == 3);
        long closedAt = System.nanoTime();
        leaves.close();
        Await.until("the other owning all six", Duration.ofSeconds(10), () -> stays.owned().size() == 6);
        assertThat((System.nanoTime() - closedAt) / 1_000_000).as("far below the 30 s session timeout")
                .isLessThan(10_000);
    }

    @Test
    void twoGroupsEachGetEveryRecord() throws Exception {
        createTopic("shared", 3);
        GroupMember one = member("group-one", "shared");
        GroupMember two = member("group-two", "shared");
        produce("shared", 3, 20);
        Await.until("60 records in each group", Duration.ofSeconds(20),
                () -> one.received.size() == 60 && two.received.size() == 60,
                () -> one.received.size() + " / " + two.received.size());
        assertThat(new TreeSet<>(one.values())).isEqualTo(new TreeSet<>(two.values())).hasSize(60);
    }

    @Test
    void cooperativeStickyMovesOnlyWhatItMust() throws Exception {
        createTopic("sticky", 6);
        java.util.Properties props = GroupMember.props(broker.bootstrapServers(), "sticky-group");
        props.put("partition.assignment.strategy",
                org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class.getName());
        GroupMember a = new GroupMember(props, "sticky");
        members.add(a);
        GroupMember b = new GroupMember(props, "sticky");
        members.add(b);
        Await.until("three each", Duration.ofSeconds(20), () -> a.owned().size() == 3 && b.owned().size() == 3,
                () -> describe(List.of(a, b)));
        Set<Integer> aBefore = a.owned();
        Set<Integer> bBefore = b.owned();
        int aRevocations = a.revocations.size();
        int bRevocations = b.revocations.size();

        GroupMember c = new GroupMember(props, "sticky");
        members.add(c);
        Await.until("two each", Duration.ofSeconds(20),
                () -> partitionsSplit(List.of(a, b, c), 6, 2, 2, 2), () -> describe(List.of(a, b, c)));

        assertThat(aBefore).containsAll(a.owned());
        assertThat(bBefore).containsAll(b.owned());
        assertThat(revoked(a, aRevocations)).as("a gave up exactly one partition").hasSize(1);
        assertThat(revoked(b, bRevocations)).as("b gave up exactly one partition").hasSize(1);
        Set<Integer> moved = new TreeSet<>(revoked(a, aRevocations));
        moved.addAll(revoked(b, bRevocations));
        assertThat(c.owned()).isEqualTo(moved);
    }

    private static Set<Integer> revoked(GroupMember m, int since) {
        Set<Integer> out = new TreeSet<>();
        m.revocations.subList(since, m.revocations.size()).forEach(out::addAll);
        return out;
    }

    @Test
    void aStaticMemberRestartingWithinItsSessionTimeoutGetsItsPartitionsBackWithoutARebalance() throws Exception {
        createTopic("static", 6);
        java.util.Properties base = GroupMember.props(broker.bootstrapServers(), "static-group");
        base.put("session.timeout.ms", "20000");
        java.util.Properties one = (java.util.Properties) base.clone();
        one.put("group.instance.id", "instance-1");
        java.util.Properties two = (java.util.Properties) base.clone();
        two.put("group.instance.id", "instance-2");
        GroupMember stays = new GroupMember(one, "static");
        members.add(stays);
        GroupMember restarts = new GroupMember(two, "static");
        Await.until("three each", Duration.ofSeconds(20),
                () -> stays.owned().size() == 3 && restarts.owned().size() == 3);
        Set<Integer> before = restarts.owned();
        int staysAssignments = stays.assignments.size();
        int staysRevocations = stays.revocations.size();

        restarts.close();
        GroupMember back = new GroupMember(two, "static");
        members.add(back);
        Await.until("the restarted member owning its partitions", Duration.ofSeconds(10),
                () -> back.owned().size() == 3, () -> back.owned().toString());

        assertThat(back.owned()).isEqualTo(before);
        assertThat(stays.assignments).as("no rebalance for the other member").hasSize(staysAssignments);
        assertThat(stays.revocations).hasSize(staysRevocations);
        produce("static", 6, 5);
        Await.until("both consume", Duration.ofSeconds(10),
                () -> stays.received.size() + back.received.size() >= 30);
    }
}
