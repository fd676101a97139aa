package io.millrace.engine.metadata;

import io.millrace.engine.metadata.MetadataChanges.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;

/**
 * The controller's decisions about brokers and replicas, as pure functions of an image: brokers
 * registering and failing, leader elections, ISR changes asked for by leaders (Kafka's
 * AlterPartition) and preferred-leader elections. No IO, no clock.
 *
 * <p>The rules, as in Kafka's KRaft controller:
 * <ul>
 *   <li>A leader is always in the ISR and alive (unfenced). When a broker is fenced, each partition
 *       it leads gets the first live ISR member in replica order as its leader (leader epoch + 1),
 *       and it leaves every ISR it is in, unless it is the last member: the last in-sync replica
 *       stays, leaderless, until it comes back (no committed record is given up), or, with
 *       {@code unclean.leader.election.enable}, any live replica takes over.
 *   <li>Every change of a partition bumps its partition epoch; an ISR change asked for by a leader
 *       is refused unless it names the current leader epoch and partition epoch, so a deposed or
 *       out-of-date leader cannot change the ISR.
 *   <li>An ISR may only grow by live replicas; a leader may shrink it down to itself.
 * </ul>
 *
 * @param uncleanElection whether a topic allows electing an out-of-sync replica
 */
public record ReplicaChanges(Function<TopicImage, Boolean> uncleanElection) {

  public ReplicaChanges {
    Objects.requireNonNull(uncleanElection, "uncleanElection");
  }

  /** The unclean election setting from the rules' broker default and the topic's override. */
  public static ReplicaChanges from(TopicConfigRules rules) {
    return new ReplicaChanges(topic -> Boolean.parseBoolean(topic.configs().getOrDefault(
        "unclean.leader.election.enable", String.valueOf(rules.defaultValue("unclean.leader.election.enable")))));
  }

  // ---------------------------------------------------------------- brokers

  /**
   * A broker registers (at start, or with a new controller). A registration from a new
   * incarnation means the previous run failed: it is fenced first (its leaderships and ISR
   * memberships go), then the new run is unfenced as a follower and leads partitions that had no
   * live in-sync replica but it. Returns null when nothing changes.
   */
  public MetadataImage register(MetadataImage image, BrokerRegistration broker) {
    BrokerRegistration current = image.brokers().get(broker.id());
    BrokerRegistration live = broker.withFenced(false);
    if (current != null && current.equals(live)) {
      return null;
    }
    MetadataImage next = image;
    if (current != null && !current.fenced() && !current.incarnation().equals(broker.incarnation())) {
      next = fence(next, broker.id());
    }
    next = next.withBroker(live);
    return electOffline(next, broker.id());
  }

  /**
   * Fences a broker that died, was cut off, or is shutting down: it leaves every ISR it can leave
   * and every partition it led gets a new leader. Returns the image unchanged if already fenced.
   */
  public MetadataImage fence(MetadataImage image, int brokerId) {
    BrokerRegistration b = image.brokers().get(brokerId);
    if (b == null || b.fenced()) {
      return image;
    }
    MetadataImage next = image.withBroker(b.withFenced(true));
    for (TopicImage topic : image.topics().values()) {
      List<PartitionImage> partitions = new ArrayList<>(topic.partitions());
      boolean changed = false;
      for (int i = 0; i < partitions.size(); i++) {
        PartitionImage p = partitions.get(i);
        if (!p.replicas().contains(brokerId)) {
          continue;
        }
        PartitionImage moved = withoutBroker(next, topic, p, brokerId);
        if (moved != p) {
          partitions.set(i, moved);
          changed = true;
        }
      }
      if (changed) {
        next = next.withTopic(topic.withPartitions(partitions));
      }
    }
    return next;
  }

  private PartitionImage withoutBroker(MetadataImage image, TopicImage topic, PartitionImage p, int brokerId) {
    List<Integer> isr = new ArrayList<>(p.isr());
    if (isr.size() > 1) {
      isr.remove(Integer.valueOf(brokerId));
    }
    if (p.leader() != brokerId) {
      if (isr.equals(p.isr())) {
        return p;
      }
      return new PartitionImage(p.partition(), p.leader(), p.leaderEpoch(), p.replicas(), isr, p.partitionEpoch() + 1);
    }
    int leader = firstLive(image, p.replicas(), isr);
    if (leader < 0 && uncleanElection.apply(topic)) {
      leader = firstLive(image, p.replicas(), p.replicas());
      if (leader >= 0) {
        isr = List.of(leader);
      }
    }
    return new PartitionImage(p.partition(), leader, p.leaderEpoch() + 1, p.replicas(), isr, p.partitionEpoch() + 1);
  }

  /** Partitions without a leader whose ISR holds {@code brokerId} (or, unclean, whose replicas do) get it. */
  private MetadataImage electOffline(MetadataImage image, int brokerId) {
    MetadataImage next = image;
    for (TopicImage topic : image.topics().values()) {
      List<PartitionImage> partitions = new ArrayList<>(topic.partitions());
      boolean changed = false;
      for (int i = 0; i < partitions.size(); i++) {
        PartitionImage p = partitions.get(i);
        if (p.leader() >= 0 || !p.replicas().contains(brokerId)) {
          continue;
        }
        int leader = firstLive(next, p.replicas(), p.isr());
        List<Integer> isr = p.isr();
        if (leader < 0 && uncleanElection.apply(topic)) {
          leader = brokerId;
          isr = List.of(brokerId);
        }
        if (leader >= 0) {
          partitions.set(i, new PartitionImage(p.partition(), leader, p.leaderEpoch() + 1, p.replicas(), isr,
              p.partitionEpoch() + 1));
          changed = true;
        }
      }
      if (changed) {
        next = next.withTopic(topic.withPartitions(partitions));
      }
    }
    return next;
  }

  /** The first of {@code order} that is in {@code eligible} and alive, or -1. */
  private static int firstLive(MetadataImage image, List<Integer> order, List<Integer> eligible) {
    for (int id : order) {
      if (eligible.contains(id) && image.isLive(id)) {
        return id;
      }
    }
    return -1;
  }

  // ---------------------------------------------------------------- ISR changes

  /** A leader's request to change the ISR of one of its partitions (Kafka's AlterPartition). */
  public record IsrChange(TopicPartition partition, int leaderId, int leaderEpoch, int partitionEpoch,
      List<Integer> newIsr) {
    public IsrChange {
      newIsr = List.copyOf(newIsr);
    }
  }

  /**
   * Applies an ISR change if the leader is current. Errors: UNKNOWN_TOPIC_OR_PARTITION,
   * NOT_LEADER_OR_FOLLOWER (not the leader), FENCED_LEADER_EPOCH (an older leader epoch),
   * INVALID_UPDATE_VERSION (an older partition epoch), INVALID_REQUEST (an ISR without the leader
   * or with non-replicas), INELIGIBLE_REPLICA (growing by a fenced broker). The result carries the
   * partition as it is afterwards (or as it is, on error), so the leader can catch up.
   */
  public Outcome<IsrResult> alterPartition(MetadataImage image, IsrChange change) {
    TopicImage topic = image.topic(change.partition().topic());
    PartitionImage p = topic == null ? null : topic.partition(change.partition().partition());
    if (p == null) {
      return new Outcome<>(null, new IsrResult(Errors.UNKNOWN_TOPIC_OR_PARTITION, null));
    }
    Errors error = Errors.NONE;
    if (p.leader() != change.leaderId()) {
      error = Errors.NOT_LEADER_OR_FOLLOWER;
    } else if (change.leaderEpoch() < p.leaderEpoch()) {
      error = Errors.FENCED_LEADER_EPOCH;
    } else if (change.leaderEpoch() > p.leaderEpoch() || change.partitionEpoch() != p.partitionEpoch()) {
      error = Errors.INVALID_UPDATE_VERSION;
    } else if (!change.newIsr().contains(change.leaderId()) || !p.replicas().containsAll(change.newIsr())
        || change.newIsr().stream().distinct().count() != change.newIsr().size()) {
      error = Errors.INVALID_REQUEST;
    } else {
      for (int id : change.newIsr()) {
        if (!p.isr().contains(id) && !image.isLive(id)) {
          error = Errors.INELIGIBLE_REPLICA;
        }
      }
    }
    if (error != Errors.NONE) {
      return new Outcome<>(null, new IsrResult(error, p));
    }
    if (change.newIsr().equals(p.isr())) {
      return new Outcome<>(null, new IsrResult(Errors.NONE, p));
    }
    // ISR in replica order, as Kafka keeps it.
    List<Integer> isr = p.replicas().stream().filter(change.newIsr()::contains).toList();
    PartitionImage next = new PartitionImage(p.partition(), p.leader(), p.leaderEpoch(), p.replicas(), isr,
        p.partitionEpoch() + 1);
    List<PartitionImage> partitions = new ArrayList<>(topic.partitions());
    partitions.set(p.partition(), next);
    return new Outcome<>(image.withTopic(topic.withPartitions(partitions)), new IsrResult(Errors.NONE, next));
  }

  /** The answer to an ISR change: the error, and the partition afterwards (null if unknown). */
  public record IsrResult(Errors error, PartitionImage partition) {}

  // ---------------------------------------------------------------- leader elections

  /** Kafka's ElectLeaders election types. */
  public enum ElectionType { PREFERRED, UNCLEAN }

  /**
   * ElectLeaders: PREFERRED moves leadership to the first replica when it is alive and in sync
   * (ELECTION_NOT_NEEDED if it leads already, PREFERRED_LEADER_NOT_AVAILABLE if it cannot);
   * UNCLEAN elects any live replica for a partition without a leader (ELECTION_NOT_NEEDED if it
   * has one, ELIGIBLE_LEADERS_NOT_AVAILABLE if no replica is alive).
   *
   * @param partitions the partitions, or null for every partition
   */
  public Outcome<Map<TopicPartition, ApiError>> electLeaders(MetadataImage image, ElectionType type,
      List<TopicPartition> partitions) {
    Map<TopicPartition, ApiError> results = new LinkedHashMap<>();
    MetadataImage next = image;
    List<TopicPartition> targets = partitions != null ? partitions : allPartitions(image);
    for (TopicPartition tp : targets) {
      TopicImage topic = next.topic(tp.topic());
      PartitionImage p = topic == null ? null : topic.partition(tp.partition());
      if (p == null) {
        results.put(tp, new ApiError(Errors.UNKNOWN_TOPIC_OR_PARTITION, "The partition does not exist."));
        continue;
      }
      PartitionImage elected = type == ElectionType.PREFERRED ? preferred(next, p) : unclean(next, p);
      if (elected == null) {
        results.put(tp, type == ElectionType.PREFERRED
            ? (p.leader() == p.replicas().get(0) ? new ApiError(Errors.ELECTION_NOT_NEEDED, null)
                : new ApiError(Errors.PREFERRED_LEADER_NOT_AVAILABLE, "Failed to elect leader for partition "
                    + tp + " under strategy PreferredReplicaPartitionLeaderElectionStrategy"))
            : (p.leader() >= 0 ? new ApiError(Errors.ELECTION_NOT_NEEDED, null)
                : new ApiError(Errors.ELIGIBLE_LEADERS_NOT_AVAILABLE, "No live replica of " + tp)));
        continue;
      }
      List<PartitionImage> all = new ArrayList<>(topic.partitions());
      all.set(p.partition(), elected);
      next = next.withTopic(topic.withPartitions(all));
      results.put(tp, ApiError.NONE);
    }
    return new Outcome<>(next == image ? null : next, results);
  }

  private static PartitionImage preferred(MetadataImage image, PartitionImage p) {
    int preferred = p.replicas().get(0);
    if (p.leader() == preferred || !p.isr().contains(preferred) || !image.isLive(preferred)) {
      return null;
    }
    return new PartitionImage(p.partition(), preferred, p.leaderEpoch() + 1, p.replicas(), p.isr(),
        p.partitionEpoch() + 1);
  }

  private static PartitionImage unclean(MetadataImage image, PartitionImage p) {
    if (p.leader() >= 0) {
      return null;
    }
    int leader = firstLive(image, p.replicas(), p.isr());
    List<Integer> isr = p.isr();
    if (leader < 0) {
      leader = firstLive(image, p.replicas(), p.replicas());
      isr = leader < 0 ? isr : List.of(leader);
    }
    if (leader < 0) {
      return null;
    }
    return new PartitionImage(p.partition(), leader, p.leaderEpoch() + 1, p.replicas(), isr, p.partitionEpoch() + 1);
  }

  /**
   * Partitions whose preferred leader is alive and in sync but does not lead, when a broker's
   * share of them exceeds {@code imbalancePercent} of the partitions it prefers
   * ({@code leader.imbalance.per.broker.percentage}); the auto rebalance elects these.
   */
  public List<TopicPartition> imbalanced(MetadataImage image, int imbalancePercent) {
    Map<Integer, int[]> perBroker = new LinkedHashMap<>();
    Map<Integer, List<TopicPartition>> candidates = new LinkedHashMap<>();
    for (TopicImage topic : image.topics().values()) {
      for (PartitionImage p : topic.partitions()) {
        int preferred = p.replicas().get(0);
        int[] counts = perBroker.computeIfAbsent(preferred, k -> new int[2]);
        counts[0]++;
        if (p.leader() != preferred) {
          counts[1]++;
          if (p.isr().contains(preferred) && image.isLive(preferred)) {
            candidates.computeIfAbsent(preferred, k -> new ArrayList<>())
                .add(new TopicPartition(topic.name(), p.partition()));
          }
        }
      }
    }
    List<TopicPartition> out = new ArrayList<>();
    perBroker.forEach((broker, counts) -> {
      if (counts[1] * 100L > (long) imbalancePercent * counts[0]) {
        out.addAll(candidates.getOrDefault(broker, List.of()));
      }
    });
    return out;
  }

  private static List<TopicPartition> allPartitions(MetadataImage image) {
    List<TopicPartition> out = new ArrayList<>();
    image.topics().values().forEach(t -> t.partitions().forEach(p -> out.add(new TopicPartition(t.name(), p.partition()))));
    return out;
  }
}
