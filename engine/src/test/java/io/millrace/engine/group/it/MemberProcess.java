package io.millrace.engine.group.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.assertj.core.api.Assertions;

/**
 * A group member in a JVM of its own, so a test can kill it (-9) and see what the coordinator
 * makes of a member that simply stops. It prints {@code OWNED p,p,...} on every assignment.
 */
final class MemberProcess implements AutoCloseable {

    private final Process process;
    private volatile Set<Integer> owned = Set.of();

    private MemberProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (var lines = process.inputReader().lines()) {
                lines.forEach(line -> {
                    if (line.startsWith("OWNED")) {
                        Set<Integer> ids = new TreeSet<>();
                        for (String s : line.substring(5).trim().split(",")) {
                            if (!s.isBlank()) {
                                ids.add(Integer.parseInt(s.trim()));
                            }
                        }
                        owned = ids;
                    }
                });
            }
        }, "member-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    static MemberProcess start(String bootstrap, String group, String topic, Path logFile) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                MemberProcess.class.getName(), bootstrap, group, topic);
        pb.redirectError(logFile.toFile());
        return new MemberProcess(pb.start());
    }

    Set<Integer> owned() {
        return owned;
    }

    /** kill -9: no LeaveGroup, no more heartbeats. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        Assertions.assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    public static void main(String[] args) {
        Properties props = GroupMember.props(args[0], args[1]);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            Set<Integer> owned = new TreeSet<>();
            consumer.subscribe(List.of(args[2]), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    partitions.forEach(tp -> owned.remove(tp.partition()));
                    print(owned);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    partitions.forEach(tp -> owned.add(tp.partition()));
                    print(owned);
                }
            });
            while (true) {
                consumer.poll(Duration.ofMillis(100));
            }
        }
    }

    private static void print(Set<Integer> owned) {
        StringBuilder b = new StringBuilder("OWNED ");
        owned.forEach(p -> b.append(p).append(','));
        System.out.println(b);
        System.out.flush();
    }

    static Path tempLog() throws IOException {
        return Files.createTempFile("member-process-", ".log");
    }
}
