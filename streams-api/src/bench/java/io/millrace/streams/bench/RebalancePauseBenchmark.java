package io.millrace.streams.bench;

import io.millrace.engine.EmbeddedBroker;
import io.millrace.streams.internals.state.StateDirectories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;

/**
 * How long processing pauses when an instance joins a running application: instance A (or
 * {@code bench.instances} of them) runs the tasks of a stateful count over a steady input,
 * instance B starts, and every record's processing time is noted per input partition. For each
 * pass it reports:
 *
 * <ul>
 *   <li>before: the longest gap on any partition in the 2 s before B started (commits and
 *       scheduling, no rebalance): the noise floor of the figures below;
 *   <li>kept: the longest gap between two processed records on the partitions A keeps;
 *   <li>moved: the longest gap on the partitions that move to B (A's last record to B's first);
 *   <li>all stopped: the longest time no partition processed anything;
 *   <li>B running: from B's start until both instances are RUNNING with B holding tasks.
 * </ul>
 *
 * Gaps are measured from B's start to 3 s after both are RUNNING; the input's own spacing (1 /
 * rate per partition) is the floor. Millrace Streams and Kafka Streams 4.4.0 (its defaults:
 * cooperative rebalancing, warm-up replicas) run the same topology in the same run.
 *
 * <p>Properties: {@code bench.passes} (3), {@code bench.partitions} (6), {@code bench.rate}
 * (records per second over all partitions, 3000), {@code bench.keys} (keys per partition, 100),
 * {@code bench.threads} (stream threads per instance, 1), {@code bench.instances} (instances running
 * before B joins, 1), {@code bench.workMicros} (CPU spent per record, as a real topology would, 0),
 * {@code bench.systems} ({@code millrace,kafka}).
 */
public final class RebalancePauseBenchmark {
  private static final String INPUT = "bench-rebalance-input";
  private static final long SETTLE_NANOS = Duration.ofSeconds(3).toNanos();
  private static final long BASELINE_NANOS = Duration.ofSeconds(2).toNanos();

  private final String bootstrap;
  private final int partitions;
  private final int keys;
  private final int threads;
  private final int instances;
  private final long workMicros;

  private RebalancePauseBenchmark(String bootstrap, int partitions, int keys, int threads, int instances,
      long workMicros) {
    this.bootstrap = bootstrap;
    this.partitions = partitions;
    this.keys = keys;
    this.threads = threads;
    this.instances = instances;
    this.workMicros = workMicros;
  }

  public static void main(String[] args) throws Exception {
    int passes = Integer.getInteger("bench.passes", 3);
    int partitions = Integer.getInteger("bench.partitions", 6);
    int rate = Integer.getInteger("bench.rate", 3000);
    int keys = Integer.getInteger("bench.keys", 100);
    int threads = Integer.getInteger("bench.threads", 1);
    int instances = Integer.getInteger("bench.instances", 1);
    long workMicros = Long.getLong("bench.workMicros", 0);
    List<String> systems = List.of(System.getProperty("bench.systems", "millrace,kafka").split(","));
    try (EmbeddedBroker broker = EmbeddedBroker.start(Map.of(
        "group.initial.rebalance.delay.ms", "0", "offsets.topic.num.partitions", "3"))) {
      RebalancePauseBenchmark b = new RebalancePauseBenchmark(broker.bootstrapServers(), partitions, keys, threads, instances,
          workMicros);
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", b.bootstrap))) {
        admin.createTopics(List.of(new NewTopic(INPUT, partitions, (short) 1))).all().get();
      }
      System.out.printf("%d partitions, %d records/s, %d keys per partition, %d thread(s) per instance, %d"
          + " instance(s) running when one more joins, %d µs of work per record; consumer group defaults"
          + " (heartbeat 3 s)%n", partitions, rate, keys, threads, instances, workMicros);
      AtomicBoolean producing = new AtomicBoolean(true);
      Thread producer = new Thread(() -> b.produce(rate, producing), "bench-producer");
      producer.start();
      Map<String, List<Pass>> results = new java.util.LinkedHashMap<>();
      try {
        for (int pass = 1; pass <= passes; pass++) {
          for (String system : systems) {
            Pass p = b.pass(system, pass);
            results.computeIfAbsent(system, k -> new ArrayList<>()).add(p);
            System.out.printf("pass %d %-8s before %5.0f ms  kept %6.0f ms  moved %6.0f ms  all stopped %6.0f ms"
                + "  B running %6.0f ms%n", pass, system, p.baselineMs, p.keptMs, p.movedMs, p.allStoppedMs,
                p.bRunningMs);
          }
        }
      } finally {
        producing.set(false);
        producer.join();
      }
      results.forEach((system, list) -> System.out.printf(
          "RESULT rebalance %-8s median before %.0f ms, kept %.0f ms, moved %.0f ms, all stopped %.0f ms,"
              + " B running %.0f ms%n",
          system, median(list, p -> p.baselineMs), median(list, p -> p.keptMs), median(list, p -> p.movedMs), median(list, p -> p.allStoppedMs),
          median(list, p -> p.bRunningMs)));
    }
  }

  private record Pass(double baselineMs, double keptMs, double movedMs, double allStoppedMs, double bRunningMs) {}

  private static double median(List<Pass> passes, java.util.function.ToDoubleFunction<Pass> f) {
    List<Double> values = new ArrayList<>();
    passes.forEach(p -> values.add(f.applyAsDouble(p)));
    return BenchSupport.median(values);
  }

  /** Produces {@code rate} records per second round-robin over the partitions until told to stop. */
  private void produce(int rate, AtomicBoolean producing) {
    try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
        "linger.ms", "1"), new StringSerializer(), new StringSerializer())) {
      long start = System.nanoTime();
      long sent = 0;
      while (producing.get()) {
        long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
        for (; sent < due; sent++) {
          int partition = (int) (sent % partitions);
          String key = "p" + partition + "-" + (sent / partitions) % keys;
          p.send(new ProducerRecord<>(INPUT, partition, key, "x"));
        }
        Thread.sleep(1);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Pass pass(String system, int pass) throws Exception {
    String appId = "bench-rebalance-" + system + "-" + pass;
    Tracker tracker = new Tracker(partitions);
    List<BenchSupport.Runner> running = new ArrayList<>();
    List<Path> dirs = new ArrayList<>();
    try {
      for (int i = 0; i <= instances; i++) {
        dirs.add(Files.createTempDirectory("bench-rebalance-" + i));
      }
      for (int i = 0; i < instances; i++) {
        BenchSupport.Runner r = runner(system, props(appId, dirs.get(i)), tracker, i);
        running.add(r);
        r.start();
      }
      BenchSupport.await(Duration.ofMinutes(1), () -> running.stream().allMatch(BenchSupport.Runner::running)
          && tracker.allProcessedSince(System.nanoTime() - 500_000_000L), system + " processing every partition");
      Thread.sleep(2000);
      long t0 = System.nanoTime();
      BenchSupport.Runner joiner = runner(system, props(appId, dirs.get(instances)), tracker, instances);
      running.add(joiner);
      joiner.start();
      BenchSupport.await(Duration.ofMinutes(2), () -> running.stream().allMatch(BenchSupport.Runner::running)
          && tracker.partitionsOf(instances) > 0, system + " all RUNNING with tasks on the new instance");
      long allRunning = System.nanoTime();
      Thread.sleep(SETTLE_NANOS / 1_000_000);
      return tracker.measure(t0, System.nanoTime(), allRunning, instances);
    } finally {
      running.forEach(BenchSupport.Runner::close);
      dirs.forEach(d -> StateDirectories.deleteRecursively(d.toFile()));
    }
  }

  /** Spends {@code workMicros} of CPU, standing for the work a real topology does per record. */
  private static void work(long workMicros) {
    if (workMicros > 0) {
      long until = System.nanoTime() + workMicros * 1000;
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
    }
  }

  private Properties props(String appId, Path stateDir) {
    Properties props = new Properties();
    props.put("application.id", appId);
    props.put("bootstrap.servers", bootstrap);
    props.put("state.dir", stateDir.toString());
    props.put("commit.interval.ms", "1000");
    props.put("num.stream.threads", Integer.toString(threads));
    props.put("auto.offset.reset", "latest");
    return props;
  }

  private BenchSupport.Runner runner(String system, Properties props, Tracker tracker, int instance) {
    return system.equals("millrace") ? BenchSupport.millrace(millraceTopology(tracker, instance, workMicros), props)
        : BenchSupport.kafka(kafkaTopology(tracker, instance, workMicros), props);
  }

  /** The partition a key was produced to: keys are {@code p<partition>-<n>}. */
  static int partitionOf(String key) {
    return Integer.parseInt(key, 1, key.indexOf('-'), 10);
  }

  /** When each partition's records were processed, and by which instance. */
  static final class Tracker {
    private final List<List<long[]>> byPartition = new ArrayList<>();

    Tracker(int partitions) {
      for (int p = 0; p < partitions; p++) {
        byPartition.add(new ArrayList<>());
      }
    }

    void processed(String key, int instance) {
      List<long[]> list = byPartition.get(partitionOf(key));
      synchronized (list) {
        list.add(new long[] {System.nanoTime(), instance});
      }
    }

    boolean allProcessedSince(long nanos) {
      for (List<long[]> list : byPartition) {
        synchronized (list) {
          if (list.isEmpty() || list.get(list.size() - 1)[0] < nanos) {
            return false;
          }
        }
      }
      return true;
    }

    /** Partitions whose latest record was processed by {@code instance}. */
    int partitionsOf(int instance) {
      int n = 0;
      for (List<long[]> list : byPartition) {
        synchronized (list) {
          if (!list.isEmpty() && list.get(list.size() - 1)[1] == instance) {
            n++;
          }
        }
      }
      return n;
    }

    /** The longest gap on any partition between {@code from} and {@code to}, with no rebalance going on. */
    double baseline(long from, long to) {
      double max = 0;
      for (List<long[]> list : byPartition) {
        List<Long> times = new ArrayList<>();
        synchronized (list) {
          for (long[] e : list) {
            if (e[0] >= from && e[0] <= to) {
              times.add(e[0]);
            }
          }
        }
        max = Math.max(max, maxGapMs(times, from, to));
      }
      return max;
    }

    Pass measure(long from, long to, long running, int joiner) {
      double kept = 0;
      double moved = 0;
      List<Long> all = new ArrayList<>();
      for (List<long[]> list : byPartition) {
        List<long[]> window = new ArrayList<>();
        synchronized (list) {
          for (long[] e : list) {
            if (e[0] >= from && e[0] <= to) {
              window.add(e);
            }
          }
        }
        window.forEach(e -> all.add(e[0]));
        double gap = maxGapMs(window.stream().map(e -> e[0]).toList(), from, to);
        boolean movedToB = !window.isEmpty() && window.get(window.size() - 1)[1] == joiner;
        if (movedToB) {
          moved = Math.max(moved, gap);
        } else {
          kept = Math.max(kept, gap);
        }
      }
      Collections.sort(all);
      return new Pass(baseline(from - BASELINE_NANOS, from), kept, moved, maxGapMs(all, from, to),
          (running - from) / 1e6);
    }

    private static double maxGapMs(List<Long> times, long from, long to) {
      long previous = from;
      long max = 0;
      for (long t : times) {
        max = Math.max(max, t - previous);
        previous = t;
      }
      return Math.max(max, to - previous) / 1e6;
    }
  }

  private static io.millrace.streams.Topology millraceTopology(Tracker tracker, int instance, long workMicros) {
    io.millrace.streams.StreamsBuilder builder = new io.millrace.streams.StreamsBuilder();
    builder.stream(INPUT, io.millrace.streams.kstream.Consumed.with(Serdes.String(), Serdes.String()))
        .peek((key, value) -> {
          tracker.processed(key, instance);
          work(workMicros);
        })
        .groupByKey()
        .count(io.millrace.streams.kstream.Materialized
            .<String, Long, io.millrace.streams.state.KeyValueStore<Bytes, byte[]>>as("counts")
            .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()));
    return builder.build();
  }

  private static org.apache.kafka.streams.Topology kafkaTopology(Tracker tracker, int instance, long workMicros) {
    org.apache.kafka.streams.StreamsBuilder builder = new org.apache.kafka.streams.StreamsBuilder();
    builder.stream(INPUT, org.apache.kafka.streams.kstream.Consumed.with(Serdes.String(), Serdes.String()))
        .peek((key, value) -> {
          tracker.processed(key, instance);
          work(workMicros);
        })
        .groupByKey()
        .count(org.apache.kafka.streams.kstream.Materialized
            .<String, Long, org.apache.kafka.streams.state.KeyValueStore<Bytes, byte[]>>as("counts")
            .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()));
    return builder.build();
  }
}
