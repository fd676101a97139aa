package io.millrace.engine.group.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A kafka-clients consumer in a group, polled by its own thread (a consumer is single-threaded),
 * recording what it is assigned, what it gives up, and what it receives.
 */
final class GroupMember implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    final List<Set<Integer>> revocations = new CopyOnWriteArrayList<>();
    final List<Set<Integer>> assignments = new CopyOnWriteArrayList<>();
    final List<ConsumerRecord<String, String>> received = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Map<TopicPartition, Long> commitRequests = new ConcurrentHashMap<>();
    private volatile boolean commitAfterPoll;
    private volatile boolean running = true;

    /** Default client settings for the group tests: small timeouts so the suite stays fast. */
    static Properties props(String bootstrap, String groupId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500");
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "20000");
        p.put(ConsumerConfig.RETRY_BACKOFF_MS_CONFIG, "50");
        return p;
    }

    GroupMember(Properties props, String topic) {
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        this.thread = new Thread(() -> run(topic), "member-" + props.getProperty(ConsumerConfig.GROUP_ID_CONFIG));
        thread.setDaemon(true);
        thread.start();
    }

    private void run(String topic) {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    Set<Integer> ids = ids(partitions);
                    revocations.add(ids);
                    owned.removeAll(ids);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    Set<Integer> ids = ids(partitions);
                    assignments.add(ids);
                    owned.addAll(ids);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    owned.removeAll(ids(partitions));
                }
            });
            while (running) {
                consumer.poll(Duration.ofMillis(100)).forEach(received::add);
                if (!commitRequests.isEmpty()) {
                    Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> offsets = new HashMap<>();
                    commitRequests.forEach((tp, o) -> offsets.put(tp,
                            new org.apache.kafka.clients.consumer.OffsetAndMetadata(o)));
                    commitRequests.clear();
                    consumer.commitSync(offsets);
                }
                if (commitAfterPoll) {
                    consumer.commitSync();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (Throwable t) {
            failure.set(t);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private static Set<Integer> ids(Collection<TopicPartition> partitions) {
        Set<Integer> out = new TreeSet<>();
        partitions.forEach(tp -> out.add(tp.partition()));
        return out;
    }

    /** The partitions this member owns now. */
    Set<Integer> owned() {
        return new TreeSet<>(owned);
    }

    /** Commit what was consumed after every poll. */
    void commitEveryPoll() {
        commitAfterPoll = true;
    }

    Throwable failure() {
        return failure.get();
    }

    List<String> values() {
        List<String> out = new ArrayList<>();
        received.forEach(r -> out.add(r.value()));
        return out;
    }

    /** Leaves the group (LeaveGroup for dynamic members) and stops. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(15_000);
    }
}
