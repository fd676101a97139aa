package io.millrace.runtime.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.config.BrokerConfig;
import io.millrace.engine.log.FetchDataInfo;
import io.millrace.engine.log.LogManager;
import io.millrace.engine.log.PartitionLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault test: three brokers as processes, a topic with replication factor 3 and
 * {@code min.insync.replicas=2}, idempotent acks=all producers writing unique values while a
 * seeded loop kill -9s a random broker (leaders and the controller included) and restarts it,
 * every few seconds. Afterwards every acknowledged value is read back exactly once, in the order it
 * was acknowledged within its partition, and every replica of a partition holds the same log.
 *
 * <p>{@code -Dmillrace.fault.seconds=N} sets the length (60 s by default, 600 s under
 * {@code -Plong}); {@code -Dmillrace.fault.seed=S} replays a schedule. It prints its seed and its
 * counts.
 */
class ClusterFaultIT {

  static final String TOPIC = "faults";
  static final int PARTITIONS = 3;
  static final String CP_PROMOTED = "Promoted this broker to CP member";

  @TempDir
  Path tmp;

  static final int WRITERS = 2;
  /** Sends per writer per second at most: enough traffic to be in flight at every kill, bounded memory. */
  static final int RATE_PER_WRITER = 3000;

  /**
   * The acknowledged offset of each value a writer sent (value {@code w<writer>-<n>} goes to
   * partition {@code n % PARTITIONS}), -1 until acknowledged: 8 bytes per value. Thread-safe.
   */
  static final class Acks {
    private long[] offsets = new long[1 << 16];
    private long count;

    synchronized void acked(long n, long offset) {
      while (n >= offsets.length) {
        long[] bigger = java.util.Arrays.copyOf(offsets, offsets.length * 2);
        java.util.Arrays.fill(bigger, offsets.length, bigger.length, -1);
        offsets = bigger;
      }
      offsets[(int) n] = offset;
      count++;
    }

    synchronized long offset(long n) {
      return n < offsets.length ? offsets[(int) n] : -1;
    }

    synchronized long count() {
      return count;
    }

    synchronized long size() {
      return offsets.length;
    }

    Acks() {
      java.util.Arrays.fill(offsets, -1);
    }
  }

  @Test
  void killingRandomBrokersLosesNoAcknowledgedRecord() throws Exception {
    long seed = Long.getLong("millrace.fault.seed", System.nanoTime());
    long seconds = Long.getLong("millrace.fault.seconds", Boolean.getBoolean("millrace.long") ? 600 : 60);
    System.out.println("ClusterFaultIT seed: " + seed + " (-Dmillrace.fault.seed=" + seed + "), " + seconds + " s");
    Random random = new Random(seed);
    try (ClusterProcesses cluster = new ClusterProcesses(tmp, 3, List.of())) {
      cluster.startAll();
      try (Admin admin = Admin.create(adminProps(cluster.bootstrap()))) {
        admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3)
            .configs(Map.of("min.insync.replicas", "2")))).all().get();
        awaitHealed(admin, Duration.ofSeconds(60));
      }
      Acks[] acked = new Acks[WRITERS];
      AtomicLong failed = new AtomicLong();
      AtomicBoolean producing = new AtomicBoolean(true);
      List<Thread> producers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        acked[w] = new Acks();
        Thread t = new Thread(() -> produce(cluster.bootstrap(), writer, producing, acked[writer], failed),
            "producer-" + w);
        t.start();
        producers.add(t);
      }
      int kills = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
      try (Admin admin = Admin.create(adminProps(cluster.bootstrap()))) {
        while (System.nanoTime() < deadline) {
          // The fault schedule, not a synchronisation: a few seconds of traffic between kills.
          LockSupport.parkNanos(Duration.ofMillis(2000 + random.nextInt(3000)).toNanos());
          int victim = 1 + random.nextInt(3);
          System.out.println("ClusterFaultIT: kill -9 broker " + victim + " (" + total(acked) + " acknowledged)");
          long promotions = cluster.count(victim, CP_PROMOTED);
          cluster.kill(victim);
          kills++;
          LockSupport.parkNanos(Duration.ofMillis(random.nextInt(1500)).toNanos());
          cluster.start(victim);
          // The CP group whole again (the restarted broker took the dead member's seat) and every
          // replica back in sync before the next kill: one failure at a time.
          cluster.awaitLogLine(victim, CP_PROMOTED, promotions, Duration.ofSeconds(60));
          awaitHealed(admin, Duration.ofSeconds(90));
        }
        producing.set(false);
        for (Thread t : producers) {
          t.join(180_000);
        }
        awaitHealed(admin, Duration.ofSeconds(90));
      }
      Counts counts = readAndCheck(cluster.bootstrap(), acked);
      System.out.printf("ClusterFaultIT seed %d: %d kills, acknowledged %d, failed %d, read %d, lost %d, duplicated %d,"
          + " misplaced %d%n", seed, kills, total(acked), failed.get(), counts.read, counts.lost, counts.duplicated,
          counts.misplaced);
      assertThat(counts.lost).as("acknowledged values lost (seed " + seed + ")").isZero();
      assertThat(counts.duplicated).as("values duplicated (seed " + seed + ")").isZero();
      assertThat(counts.misplaced).as("acknowledged values away from their acknowledged offset (seed " + seed + ")")
          .isZero();
      assertThat(total(acked)).as("the producers got acknowledgements").isPositive();
      for (int id = 1; id <= 3; id++) {
        cluster.stop(id);
      }
      assertReplicasIdentical(cluster);
    }
  }

  private static void produce(String bootstrap, int writer, AtomicBoolean producing, Acks acked, AtomicLong failed) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("linger.ms", "2");
    p.put("delivery.timeout.ms", "120000");
    p.put("request.timeout.ms", "5000");
    p.put("retry.backoff.ms", "100");
    p.put("max.in.flight.requests.per.connection", "5");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      long pace = 1_000_000_000L / RATE_PER_WRITER;
      long next = System.nanoTime();
      for (long n = 0; producing.get(); n++) {
        int partition = (int) (n % PARTITIONS);
        long sequence = n;
        producer.send(new ProducerRecord<>(TOPIC, partition, null, "w" + writer + "-" + n), (md, e) -> {
          if (e == null) {
            acked.acked(sequence, md.offset());
          } else {
            failed.incrementAndGet();
          }
        });
        next += pace;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait); // pacing the load, not waiting for anything
        }
        if (n % 50 == 49) {
          // Bounded in flight: at most a few hundred unacknowledged values per writer.
          producer.flush();
        }
      }
      producer.flush();
    }
  }

  /** Waits until every partition of the topic has a leader and all three replicas in sync. */
  static void awaitHealed(Admin admin, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        TopicDescription d = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
        last = d.partitions().toString();
        if (d.partitions().stream().allMatch(p -> p.leader() != null && p.isr().size() == 3)) {
          return;
        }
      } catch (Exception e) {
        last = e.toString();
      }
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
    throw new AssertionError("the cluster did not heal within " + timeout + ": " + last);
  }

  static final class Counts {
    long read;
    long lost;
    long duplicated;
    long misplaced;
  }

  static long total(Acks[] acked) {
    long n = 0;
    for (Acks a : acked) {
      n += a.count();
    }
    return n;
  }

  /**
   * Reads every partition to its end: each value must appear once, and an acknowledged one at the
   * offset it was acknowledged at (so acknowledged values are in acknowledged order); then counts
   * the acknowledged values never read.
   */
  private static Counts readAndCheck(String bootstrap, Acks[] acked) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("enable.auto.commit", "false");
    p.put("max.poll.records", "5000");
    Counts counts = new Counts();
    java.util.BitSet[] seen = new java.util.BitSet[WRITERS];
    for (int w = 0; w < WRITERS; w++) {
      seen[w] = new java.util.BitSet();
    }
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> tps = new ArrayList<>();
      for (int i = 0; i < PARTITIONS; i++) {
        tps.add(new TopicPartition(TOPIC, i));
      }
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      Map<TopicPartition, Long> ends = consumer.endOffsets(tps);
      long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
      while (tps.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
        assertThat(System.nanoTime()).as("read to the end offsets " + ends).isLessThan(deadline);
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          counts.read++;
          String v = r.value();
          int dash = v.indexOf('-');
          int writer = Integer.parseInt(v.substring(1, dash));
          int n = Integer.parseInt(v.substring(dash + 1));
          if (seen[writer].get(n)) {
            counts.duplicated++;
          }
          seen[writer].set(n);
          long ackedAt = acked[writer].offset(n);
          if (ackedAt >= 0 && (ackedAt != r.offset() || r.partition() != n % PARTITIONS)) {
            counts.misplaced++;
          }
        }
      }
    }
    for (int w = 0; w < WRITERS; w++) {
      for (long n = 0; n < acked[w].size(); n++) {
        if (acked[w].offset(n) >= 0 && !seen[w].get((int) n)) {
          counts.lost++;
        }
      }
    }
    return counts;
  }

  /** Opens each broker's stopped logs and compares them batch by batch. */
  private static void assertReplicasIdentical(ClusterProcesses cluster) {
    for (int partition = 0; partition < PARTITIONS; partition++) {
      TopicPartition tp = new TopicPartition(TOPIC, partition);
      List<List<String>> batches = new ArrayList<>();
      for (int id = 1; id <= 3; id++) {
        Map<String, Object> props = new BrokerConfig(Map.of("log.dirs", cluster.dataDir(id).toString())).logManagerProps();
        try (LogManager logs = LogManager.open(List.of(cluster.dataDir(id)), props, Time.SYSTEM)) {
          PartitionLog log = logs.get(tp).orElseThrow();
          List<String> described = new ArrayList<>();
          long offset = log.logStartOffset();
          while (offset < log.logEndOffset()) {
            FetchDataInfo info = log.read(offset, 1 << 20, log.logEndOffset(), true);
            for (RecordBatch b : info.records().batches()) {
              described.add(b.baseOffset() + "-" + b.lastOffset() + "@" + b.partitionLeaderEpoch() + "#" + b.checksum());
              offset = b.nextOffset();
            }
          }
          batches.add(described);
        }
      }
      assertThat(batches.get(1)).as(tp + " on broker 2 and broker 1").isEqualTo(batches.get(0));
      assertThat(batches.get(2)).as(tp + " on broker 3 and broker 1").isEqualTo(batches.get(0));
    }
  }

  static Map<String, Object> adminProps(String bootstrap) {
    return Map.of("bootstrap.servers", bootstrap, "request.timeout.ms", "5000", "default.api.timeout.ms", "10000");
  }
}
