package io.millrace.connect.herder;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Distributed mode: the workers with one {@code group.id} are the members of a consumer group
 * (classic protocol) whose assignor is {@link WorkerAssignor}. Each worker's subscription says
 * what it runs; the group leader computes with {@link Assignor}, from the config log read to its
 * end, what each worker runs next, and sends it in the assignment's user data.
 *
 * <p>Rebalances are incremental: a worker keeps running what it keeps. Work moves in two rounds:
 * the worker that gives it up stops it and rejoins, then the next round assigns it elsewhere,
 * so no task runs on two workers at once. When a worker dies, the coordinator notices after
 * {@code session.timeout.ms}; its work is nobody's and goes to the survivors at once, resuming
 * from the offsets committed last.
 *
 * <p>One thread, {@code millrace-connect-member}, owns the consumer and polls it.
 */
public final class GroupMembership implements Membership {
  private static final Logger LOG = LoggerFactory.getLogger(GroupMembership.class);
  static final String SELF = "millrace.connect.membership";

  private final String workerId;
  private final Map<String, Object> consumerProps;
  private final String topic;
  private final AtomicBoolean rebalance = new AtomicBoolean();
  private volatile boolean running = true;
  private volatile Callbacks callbacks;
  private KafkaConsumer<byte[], byte[]> consumer;
  private Thread thread;

  /**
   * @param consumerProps bootstrap and client settings, group.id and timeouts included
   * @param topic a topic every worker subscribes to (the config topic): the group protocol
   *     needs one, though no partition of it is ever assigned
   */
  public GroupMembership(String workerId, Map<String, Object> consumerProps, String topic) {
    this.workerId = workerId;
    this.consumerProps = consumerProps;
    this.topic = topic;
  }

  @Override
  public void start(Callbacks callbacks) {
    this.callbacks = callbacks;
    Map<String, Object> c = new HashMap<>(consumerProps);
    c.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
    c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, List.of(WorkerAssignor.class));
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "millrace-connect-member-" + workerId);
    c.put(SELF, this);
    consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
    thread = new Thread(this::pollLoop, "millrace-connect-member");
    thread.setDaemon(true);
    thread.start();
  }

  private void pollLoop() {
    while (running) {
      try {
        if (rebalance.getAndSet(false)) {
          consumer.enforceRebalance("the connector config changed shape");
        }
        consumer.poll(Duration.ofMillis(500));
        if (!consumer.assignment().isEmpty() && consumer.paused().isEmpty()) {
          consumer.pause(consumer.assignment()); // held for the protocol, never read
        }
      } catch (WakeupException e) {
        // rebalance request or close
      } catch (RuntimeException e) {
        if (running) {
          LOG.warn("Worker {} group membership: {}", workerId, e.toString());
        }
      }
    }
    try {
      consumer.close(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      LOG.warn("Worker {} could not leave the group cleanly", workerId, e);
    }
  }

  @Override
  public void requestRebalance() {
    rebalance.set(true);
    if (consumer != null) {
      consumer.wakeup();
    }
  }

  @Override
  public void close() {
    running = false;
    if (consumer != null) {
      consumer.wakeup();
    }
    if (thread != null) {
      try {
        thread.join(15_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * The group's assignor. Kafka instantiates it by class; it finds its {@link GroupMembership}
   * in the consumer configs.
   */
  public static final class WorkerAssignor implements ConsumerPartitionAssignor, Configurable {
    private GroupMembership member;

    @Override
    public void configure(Map<String, ?> configs) {
      member = (GroupMembership) configs.get(SELF);
    }

    @Override
    public String name() {
      return "millrace-connect-v1";
    }

    /** Called as the worker (re)joins: it says what it runs (or is still stopping). */
    @Override
    public ByteBuffer subscriptionUserData(Set<String> topics) {
      return ByteBuffer.wrap(member.callbacks.owned().toJson());
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription group) {
      Map<String, String> workerOfMember = new HashMap<>();
      List<WorkAssignment.Owned> owned = new ArrayList<>();
      group.groupSubscription().forEach((memberId, sub) -> {
        ByteBuffer data = sub.userData().duplicate();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        WorkAssignment.Owned o = WorkAssignment.Owned.fromJson(bytes);
        workerOfMember.put(memberId, o.worker());
        owned.add(o);
      });
      Map<String, WorkAssignment> byWorker = Assignor.assign(owned, member.workerId,
          member.callbacks.latestConfig());
      // The leader holds the subscribed topic's first partition (paused): a subscription left
      // unassigned makes the consumer warn at every rebalance.
      String leaderMember = null;
      for (Map.Entry<String, String> e : workerOfMember.entrySet()) {
        if (e.getValue().equals(member.workerId)) {
          leaderMember = e.getKey();
        }
      }
      Map<String, Assignment> out = new HashMap<>();
      for (Map.Entry<String, String> e : workerOfMember.entrySet()) {
        List<org.apache.kafka.common.TopicPartition> parts = e.getKey().equals(leaderMember)
            ? List.of(new org.apache.kafka.common.TopicPartition(member.topic, 0)) : List.of();
        out.put(e.getKey(), new Assignment(parts,
            ByteBuffer.wrap(byWorker.get(e.getValue()).toJson())));
      }
      LOG.info("Worker {} (leader) assigned work to {} workers", member.workerId, out.size());
      return new GroupAssignment(out);
    }

    @Override
    public void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {
      ByteBuffer data = assignment.userData().duplicate();
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      member.callbacks.onAssignment(WorkAssignment.fromJson(bytes, metadata.generationId()));
    }
  }
}
