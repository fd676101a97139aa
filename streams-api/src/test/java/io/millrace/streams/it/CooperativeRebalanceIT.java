package io.millrace.streams.it;

import static io.millrace.streams.it.StreamsItSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.streams.MillraceStreams;
import io.millrace.streams.StreamsBuilder;
import io.millrace.streams.ThreadMetadata;
import io.millrace.streams.Topology;
import io.millrace.streams.kstream.Consumed;
import io.millrace.streams.kstream.Materialized;
import io.millrace.streams.kstream.Produced;
import io.millrace.streams.processor.Processor;
import io.millrace.streams.processor.ProcessorContext;
import io.millrace.streams.processor.Record;
import io.millrace.streams.processor.TaskId;
import io.millrace.streams.state.QueryableStoreTypes;
import io.millrace.streams.state.ReadOnlyKeyValueStore;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The cooperative protocol against the real broker: when a second instance joins, the tasks the
 * first keeps are never closed, and their stores answer queries throughout the rebalance; the
 * tasks that move are handed over cleanly, so the counts stay exact.
 */
class CooperativeRebalanceIT extends BrokerTest {
  private static final int PARTITIONS = 4;

  /** How often each instance initialised each task's processors: instance -> task -> count. */
  static final Map<String, Map<TaskId, AtomicInteger>> INITS = new ConcurrentHashMap<>();

  /** Counts per key into "counts"; a processor after the count notes each task's initialisations. */
  private static Topology topology(String instance) {
    StreamsBuilder b = new StreamsBuilder();
    b.stream("coop-in", Consumed.with(Serdes.String(), Serdes.String()))
        .groupByKey()
        .count(Materialized.as("counts"))
        .toStream()
        .process(() -> new Processor<String, Long, String, Long>() {
          private ProcessorContext<String, Long> context;

          @Override
          public void init(ProcessorContext<String, Long> context) {
            this.context = context;
            INITS.computeIfAbsent(instance, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(context.taskId(), k -> new AtomicInteger()).incrementAndGet();
          }

          @Override
          public void process(Record<String, Long> record) {
            context.forward(record);
          }
        })
        .to("coop-out", Produced.with(Serdes.String(), Serdes.Long()));
    return b.build();
  }

  private MillraceStreams start(String instance) throws Exception {
    return start(topology(instance), StreamsItSupport.streamsProps(broker, "coop", dir("coop-it")));
  }

  /** Keys {@code p<partition>-<n>}, produced to that partition, {@code times} each. */
  private static void produce(int keysPerPartition, int times) {
    try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
        "linger.ms", "5"), new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < times; i++) {
        for (int partition = 0; partition < PARTITIONS; partition++) {
          for (int k = 0; k < keysPerPartition; k++) {
            p.send(new ProducerRecord<>("coop-in", partition, "p" + partition + "-" + k, "x"));
          }
        }
      }
      p.flush();
    }
  }

  private static Map<String, Long> each(int keysPerPartition, long count) {
    Map<String, Long> m = new HashMap<>();
    for (int partition = 0; partition < PARTITIONS; partition++) {
      for (int k = 0; k < keysPerPartition; k++) {
        m.put("p" + partition + "-" + k, count);
      }
    }
    return m;
  }

  private static Set<TaskId> active(MillraceStreams s) {
    Set<TaskId> ids = new HashSet<>();
    for (ThreadMetadata t : s.metadataForLocalThreads()) {
      ids.addAll(t.activeTasks());
    }
    return ids;
  }

  @Test
  void tasksThatStayKeepRunningWhileAnInstanceJoins() throws Exception {
    StreamsItSupport.createTopics(broker, PARTITIONS, "coop-in", "coop-out");
    MillraceStreams a = start("a");
    produce(5, 2);
    try (StreamsItSupport.LatestCounts counts = new StreamsItSupport.LatestCounts(broker, "coop-out")) {
      await(WAIT, () -> counts.poll().equals(each(5, 2)), () -> "counts " + counts.poll());
    }
    await(WAIT, () -> a.state() == MillraceStreams.State.RUNNING && active(a).size() == PARTITIONS,
        () -> "a " + a.state() + " " + active(a));

    // While b joins, query a's store for one key of every partition, again and again: a partition
    // a keeps must answer every time (its task never stops), one that moves may stop answering.
    Set<Integer> unanswered = ConcurrentHashMap.newKeySet();
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler = new Thread(() -> {
      while (sampling.get()) {
        for (int partition = 0; partition < PARTITIONS; partition++) {
          try {
            ReadOnlyKeyValueStore<String, Long> store = a.store("counts", QueryableStoreTypes.keyValueStore());
            if (store.get("p" + partition + "-0") == null) {
              unanswered.add(partition);
            }
          } catch (RuntimeException e) {
            unanswered.add(partition);
          }
        }
        java.util.concurrent.locks.LockSupport.parkNanos(2_000_000); // pacing only: about 500 samples a second
      }
    }, "coop-it-sampler");
    sampler.start();
    MillraceStreams b = start("b");
    try {
      await(WAIT, () -> a.state() == MillraceStreams.State.RUNNING && b.state() == MillraceStreams.State.RUNNING
              && active(a).size() == PARTITIONS / 2 && active(b).size() == PARTITIONS / 2,
          () -> "a " + a.state() + " " + active(a) + ", b " + b.state() + " " + active(b));
    } finally {
      sampling.set(false);
      sampler.join();
    }

    Set<TaskId> kept = active(a);
    for (TaskId t : kept) {
      assertThat(unanswered).as("partition of kept task %s stopped answering", t).doesNotContain(t.partition());
      assertThat(INITS.get("a").get(t).get()).as("initialisations of kept task %s", t).isEqualTo(1);
    }
    for (TaskId t : active(b)) {
      assertThat(INITS.get("a").get(t).get()).as("a's initialisations of moved task %s", t).isEqualTo(1);
      assertThat(INITS.get("b").get(t).get()).as("b's initialisations of moved task %s", t).isEqualTo(1);
    }
    produce(5, 3);
    try (StreamsItSupport.LatestCounts counts = new StreamsItSupport.LatestCounts(broker, "coop-out")) {
      await(WAIT, () -> counts.poll().equals(each(5, 5)), () -> "counts " + counts.poll());
    }
  }
}
