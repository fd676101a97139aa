package io.millrace.engine.group.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.Broker;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Committed offsets and group membership come back from {@code __consumer_offsets} after a restart. */
class GroupRestartIT {

    private Path dataDir;
    private int port;
    private Broker broker;

    @BeforeEach
    void start() throws IOException {
        dataDir = Files.createTempDirectory("groups-restart-");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        broker = startBroker();
    }

    private Broker startBroker() {
        return Broker.start(Map.of("node.id", "1", "listeners", "PLAINTEXT://127.0.0.1:" + port,
                "log.dirs", dataDir.toString(), "num.network.threads", "1",
                "group.initial.rebalance.delay.ms", "0", "offsets.topic.num.partitions", "3"));
    }

    private void restart() {
        broker.close();
        broker = startBroker();
    }

    @AfterEach
    void stop() throws IOException {
        broker.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private String bootstrap() {
        return "127.0.0.1:" + port;
    }

    private void produce(String topic, int partitions, int perPartition, String prefix) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap()),
                new StringSerializer(), new StringSerializer())) {
            for (int p = 0; p < partitions; p++) {
                for (int i = 0; i < perPartition; i++) {
                    producer.send(new ProducerRecord<>(topic, p, null, prefix + p + "-" + i));
                }
            }
            producer.flush();
        }
    }

    @Test
    void committedOffsetsSurviveARestartAndConsumersResumeFromThem() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap()))) {
            admin.createTopics(List.of(new NewTopic("orders", 2, (short) 1))).all().get();
        }
        produce("orders", 2, 100, "");
        Properties props = GroupMember.props(bootstrap(), "billing");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of("orders"));
            Await.until("an assignment", Duration.ofSeconds(20), () -> {
                consumer.poll(Duration.ofMillis(100));
                return consumer.assignment().size() == 2;
            });
            consumer.commitSync(Map.of(new TopicPartition("orders", 0), new OffsetAndMetadata(30, "m0"),
                    new TopicPartition("orders", 1), new OffsetAndMetadata(40)));
        }

        restart();

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap()))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("billing")
                    .partitionsToOffsetAndMetadata().get();
            assertThat(offsets.get(new TopicPartition("orders", 0)).offset()).isEqualTo(30);
            assertThat(offsets.get(new TopicPartition("orders", 0)).metadata()).isEqualTo("m0");
            assertThat(offsets.get(new TopicPartition("orders", 1)).offset()).isEqualTo(40);
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of("orders"));
            java.util.List<ConsumerRecord<String, String>> got = new java.util.ArrayList<>();
            Await.until("the rest of both partitions", Duration.ofSeconds(20), () -> {
                consumer.poll(Duration.ofMillis(100)).forEach(got::add);
                return got.size() >= 130;
            });
            assertThat(got).hasSize(130);
            assertThat(got.stream().filter(r -> r.partition() == 0).mapToLong(ConsumerRecord::offset).min())
                    .hasValue(30);
            assertThat(got.stream().filter(r -> r.partition() == 1).mapToLong(ConsumerRecord::offset).min())
                    .hasValue(40);
        }
    }

    @Test
    void aLiveMemberCarriesOnInItsGenerationAcrossARestart() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap()))) {
            admin.createTopics(List.of(new NewTopic("events", 3, (short) 1))).all().get();
        }
        Properties props = GroupMember.props(bootstrap(), "live");
        props.put("session.timeout.ms", "30000");
        props.put("reconnect.backoff.max.ms", "200");
        GroupMember member = new GroupMember(props, "events");
        try {
            member.commitEveryPoll();
            Await.until("an assignment", Duration.ofSeconds(20), () -> member.owned().size() == 3);
            produce("events", 3, 10, "before-");
            Await.until("30 records", Duration.ofSeconds(20), () -> member.received.size() == 30);
            int assignmentsBefore = member.assignments.size();

            restart();

            produce("events", 3, 10, "after-");
            Await.until("60 records", Duration.ofSeconds(30), () -> member.received.size() >= 60,
                    () -> member.received.size() + " received, failure " + member.failure());
            assertThat(member.received).hasSize(60);
            assertThat(member.assignments).as("the group came back stable: no new assignment")
                    .hasSize(assignmentsBefore);
        } finally {
            member.close();
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap()))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("live")
                    .partitionsToOffsetAndMetadata().get();
            assertThat(offsets.values()).extracting(OffsetAndMetadata::offset).containsOnly(20L);
        }
    }
}
