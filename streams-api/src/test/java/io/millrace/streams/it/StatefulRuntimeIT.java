package io.millrace.streams.it;

import static io.millrace.streams.it.StreamsItSupport.await;
import static io.millrace.streams.it.StreamsItSupport.awaitState;
import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.streams.KeyValue;
import io.millrace.streams.MillraceStreams;
import io.millrace.streams.StreamsBuilder;
import io.millrace.streams.StreamsConfig;
import io.millrace.streams.ThreadMetadata;
import io.millrace.streams.Topology;
import io.millrace.streams.errors.StreamsUncaughtExceptionHandler;
import io.millrace.streams.kstream.Consumed;
import io.millrace.streams.kstream.KTable;
import io.millrace.streams.kstream.Materialized;
import io.millrace.streams.kstream.Produced;
import io.millrace.streams.state.QueryableStoreTypes;
import io.millrace.streams.state.ReadOnlyKeyValueStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** State across restarts, standbys, and what happens when a thread fails or cannot start. */
class StatefulRuntimeIT extends BrokerTest {

  private Path dir() throws Exception {
    return dir("stateful-it");
  }

  /** Counts records per key into store "counts", writing the counts to {@code out}. */
  private static Topology counting(String in, String out) {
    StreamsBuilder b = new StreamsBuilder();
    b.stream(in, Consumed.with(Serdes.String(), Serdes.String())).groupByKey()
        .count(Materialized.as("counts"))
        .toStream().to(out, Produced.with(Serdes.String(), Serdes.Long()));
    return b.build();
  }

  private static void produce(String topic, int keys, int perKey) {
    try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
        "linger.ms", "5"), new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < perKey; i++) {
        for (int k = 0; k < keys; k++) {
          p.send(new ProducerRecord<>(topic, "k" + k, "v" + i));
        }
      }
      p.flush();
    }
  }

  private static Map<String, Long> each(int keys, long count) {
    Map<String, Long> m = new HashMap<>();
    for (int k = 0; k < keys; k++) {
      m.put("k" + k, count);
    }
    return m;
  }

  private static void awaitCounts(String topic, Map<String, Long> expected) {
    try (StreamsItSupport.LatestCounts c = new StreamsItSupport.LatestCounts(broker, topic)) {
      await(WAIT, () -> c.poll().equals(expected), () -> "counts " + c.poll() + " expected " + expected);
    }
  }

  private static double metric(MillraceStreams s, String name) {
    double total = 0;
    for (var e : s.metrics().entrySet()) {
      if (e.getKey().name().equals(name)) {
        total += ((Number) e.getValue().metricValue()).doubleValue();
      }
    }
    return total;
  }

  @Test
  void aRestartReplaysOnlyTheChangelogTailAndCleanUpRestoresEverything() throws Exception {
    StreamsItSupport.createTopics(broker, 2, "restart-in", "restart-out");
    Path d = dir();
    Properties p = StreamsItSupport.streamsProps(broker, "restart", d);
    MillraceStreams first = start(counting("restart-in", "restart-out"), p);
    produce("restart-in", 10, 10);
    awaitCounts("restart-out", each(10, 10));
    first.close(Duration.ofSeconds(30));

    MillraceStreams second = start(counting("restart-in", "restart-out"), p);
    awaitState(second, MillraceStreams.State.RUNNING, WAIT);
    assertThat(metric(second, "restore-records-total")).isZero();
    produce("restart-in", 10, 10);
    awaitCounts("restart-out", each(10, 20));
    ReadOnlyKeyValueStore<String, Long> store = second.store("counts", QueryableStoreTypes.keyValueStore());
    assertThat(store.get("k3")).isEqualTo(20L);
    second.close(Duration.ofSeconds(30));

    MillraceStreams wiped = new MillraceStreams(counting("restart-in", "restart-out"), p);
    wiped.cleanUp();
    track(wiped);
    wiped.start();
    awaitState(wiped, MillraceStreams.State.RUNNING, WAIT);
    assertThat(metric(wiped, "restore-records-total")).isGreaterThanOrEqualTo(10);
    await(WAIT, () -> {
      try {
        return Long.valueOf(20).equals(wiped.store("counts", QueryableStoreTypes.<String, Long>keyValueStore()).get("k7"));
      } catch (RuntimeException retry) {
        return false;
      }
    }, () -> "restored store");
  }

  private static int tasks(MillraceStreams s, boolean standby) {
    int n = 0;
    for (ThreadMetadata t : s.metadataForLocalThreads()) {
      n += standby ? t.standbyTasks().size() : t.activeTasks().size();
    }
    return n;
  }

  @Test
  void standbysKeepWarmCopiesThatServeStaleQueriesAndFailover() throws Exception {
    StreamsItSupport.createTopics(broker, 2, "standby-in", "standby-out");
    Properties pa = StreamsItSupport.streamsProps(broker, "standby", dir());
    pa.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "1");
    Properties pb = StreamsItSupport.streamsProps(broker, "standby", dir());
    pb.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "1");
    MillraceStreams a = start(counting("standby-in", "standby-out"), pa);
    MillraceStreams b = start(counting("standby-in", "standby-out"), pb);
    await(WAIT, () -> a.state() == MillraceStreams.State.RUNNING && b.state() == MillraceStreams.State.RUNNING
        && tasks(a, false) == 1 && tasks(b, false) == 1 && tasks(a, true) == 1 && tasks(b, true) == 1,
        () -> "a " + a.metadataForLocalThreads() + " b " + b.metadataForLocalThreads());
    produce("standby-in", 10, 5);
    awaitCounts("standby-out", each(10, 5));
    await(WAIT, () -> {
      ReadOnlyKeyValueStore<String, Long> stale = a.store("counts", QueryableStoreTypes.keyValueStore(), true);
      return stale.approximateNumEntries() == 10;
    }, () -> "standby copy on a not complete");
    double restoredBefore = metric(a, "restore-records-total");
    b.close(Duration.ofSeconds(30));
    await(WAIT, () -> a.state() == MillraceStreams.State.RUNNING && tasks(a, false) == 2,
        () -> "a " + a.metadataForLocalThreads());
    assertThat(metric(a, "restore-records-total") - restoredBefore).as("records replayed at failover").isLessThan(10);
    produce("standby-in", 10, 5);
    awaitCounts("standby-out", each(10, 10));
  }

  static final AtomicBoolean BOOMED = new AtomicBoolean();

  @Test
  void aReplacedThreadReprocessesTheFailedRecordAndGoesOn() throws Exception {
    StreamsItSupport.createTopics(broker, 1, "replace-in", "replace-out");
    StreamsBuilder sb = new StreamsBuilder();
    sb.stream("replace-in", Consumed.with(Serdes.String(), Serdes.String()))
        .mapValues(v -> {
          if (v.equals("boom") && BOOMED.compareAndSet(false, true)) {
            throw new IllegalStateException("boom once");
          }
          return v;
        })
        .to("replace-out", Produced.with(Serdes.String(), Serdes.String()));
    MillraceStreams s = new MillraceStreams(sb.build(), StreamsItSupport.streamsProps(broker, "replace", dir()));
    track(s);
    List<Throwable> seen = new CopyOnWriteArrayList<>();
    s.setUncaughtExceptionHandler(e -> {
      seen.add(e);
      return StreamsUncaughtExceptionHandler.Response.REPLACE_THREAD;
    });
    s.start();
    try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
        new StringSerializer(), new StringSerializer())) {
      for (String v : List.of("a", "boom", "b")) {
        p.send(new ProducerRecord<>("replace-in", "k", v));
      }
    }
    List<String> values = new ArrayList<>();
    try (var c = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(Map.of("bootstrap.servers",
        broker.bootstrapServers(), "auto.offset.reset", "earliest", "group.id", "replace-reader"),
        new org.apache.kafka.common.serialization.StringDeserializer(),
        new org.apache.kafka.common.serialization.StringDeserializer())) {
      c.subscribe(List.of("replace-out"));
      await(WAIT, () -> {
        c.poll(Duration.ofMillis(100)).forEach(r -> values.add(r.value()));
        return values.contains("b");
      }, () -> "output " + values);
    }
    assertThat(values).contains("a", "boom", "b");
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0)).hasMessageContaining("Exception caught in process").hasMessageContaining("boom once");
    awaitState(s, MillraceStreams.State.RUNNING, WAIT);
  }

  @Test
  void shutdownApplicationStopsEveryInstance() throws Exception {
    StreamsItSupport.createTopics(broker, 2, "poison-in", "poison-out");
    StreamsBuilder sb = new StreamsBuilder();
    sb.stream("poison-in", Consumed.with(Serdes.String(), Serdes.String()))
        .filter((k, v) -> {
          if (v.equals("poison")) {
            throw new IllegalArgumentException("poisoned");
          }
          return true;
        })
        .to("poison-out", Produced.with(Serdes.String(), Serdes.String()));
    Topology t = sb.build();
    MillraceStreams a = new MillraceStreams(t, StreamsItSupport.streamsProps(broker, "poison", dir()));
    MillraceStreams b = new MillraceStreams(t, StreamsItSupport.streamsProps(broker, "poison", dir()));
    for (MillraceStreams s : List.of(a, b)) {
      track(s);
      s.setUncaughtExceptionHandler(e -> StreamsUncaughtExceptionHandler.Response.SHUTDOWN_APPLICATION);
      s.start();
    }
    await(WAIT, () -> a.state() == MillraceStreams.State.RUNNING && b.state() == MillraceStreams.State.RUNNING,
        () -> "a " + a.state() + " b " + b.state());
    try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
        new StringSerializer(), new StringSerializer())) {
      p.send(new ProducerRecord<>("poison-in", 0, "k", "poison"));
    }
    await(WAIT, () -> a.state() == MillraceStreams.State.ERROR && b.state() == MillraceStreams.State.ERROR,
        () -> "a " + a.state() + " b " + b.state());
  }

  @Test
  void aMissingSourceTopicEndsInErrorNamingIt() throws Exception {
    Properties p = StreamsItSupport.streamsProps(broker, "missing", dir());
    p.put(StreamsConfig.STARTUP_TOPIC_TIMEOUT_MS_CONFIG, "300");
    StreamsBuilder sb = new StreamsBuilder();
    sb.stream("no-such-topic", Consumed.with(Serdes.String(), Serdes.String())).to("anywhere");
    MillraceStreams s = new MillraceStreams(sb.build(), p);
    track(s);
    List<Throwable> seen = new CopyOnWriteArrayList<>();
    s.setUncaughtExceptionHandler(e -> {
      seen.add(e);
      return StreamsUncaughtExceptionHandler.Response.SHUTDOWN_CLIENT;
    });
    s.start();
    awaitState(s, MillraceStreams.State.ERROR, WAIT);
    assertThat(seen).isNotEmpty();
    assertThat(seen.get(0)).hasMessageContaining("no-such-topic").hasMessageContaining("do not exist");
  }

  @Test
  void joinedTopicsWithDifferentPartitionCountsAreRefused() throws Exception {
    StreamsItSupport.createTopics(broker, 2, "copart-orders");
    StreamsItSupport.createTopics(broker, 3, "copart-customers");
    StreamsBuilder sb = new StreamsBuilder();
    KTable<String, String> customers = sb.table("copart-customers", Consumed.with(Serdes.String(), Serdes.String()));
    sb.stream("copart-orders", Consumed.with(Serdes.String(), Serdes.String()))
        .join(customers, (o, c) -> o + c).to("copart-out", Produced.with(Serdes.String(), Serdes.String()));
    MillraceStreams s = new MillraceStreams(sb.build(), StreamsItSupport.streamsProps(broker, "copart", dir()));
    track(s);
    List<Throwable> seen = new CopyOnWriteArrayList<>();
    s.setUncaughtExceptionHandler(e -> {
      seen.add(e);
      return StreamsUncaughtExceptionHandler.Response.SHUTDOWN_CLIENT;
    });
    s.start();
    awaitState(s, MillraceStreams.State.ERROR, WAIT);
    assertThat(seen.get(0)).hasMessageContaining("must have the same partition count");
  }

  @Test
  void windowedStateAndStreamTimeSurviveLosingTheLocalState() throws Exception {
    StreamsItSupport.createTopics(broker, 1, "win-in", "win-out", "win-final");
    Path d = dir();
    Properties p = StreamsItSupport.streamsProps(broker, "windows", d);
    long t0 = 1_714_557_600_000L;
    java.util.function.Supplier<Topology> topology = () -> {
      StreamsBuilder sb = new StreamsBuilder();
      KTable<io.millrace.streams.kstream.Windowed<String>, Long> counts =
          sb.stream("win-in", Consumed.with(Serdes.String(), Serdes.String())).groupByKey()
              .windowedBy(io.millrace.streams.kstream.TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), Duration.ofSeconds(30)))
              .count(Materialized.<String, Long, io.millrace.streams.state.WindowStore<org.apache.kafka.common.utils.Bytes, byte[]>>as("win-counts")
                  .withKeySerde(Serdes.String()).withRetention(Duration.ofHours(1)));
      counts.toStream().map((w, c) -> KeyValue.pair(w.key() + "@" + (w.window().start() - t0), c))
          .to("win-out", Produced.with(Serdes.String(), Serdes.Long()));
      counts.suppress(io.millrace.streams.kstream.Suppressed.untilWindowCloses(
              io.millrace.streams.kstream.Suppressed.BufferConfig.unbounded()))
          .toStream().map((w, c) -> KeyValue.pair(w.key() + "@" + (w.window().start() - t0), c))
          .to("win-final", Produced.with(Serdes.String(), Serdes.Long()));
      return sb.build();
    };
    MillraceStreams first = start(topology.get(), p);
    produceAt("win-in", "a", t0 + 5_000, t0 + 50_000);
    produceAt("win-in", "b", t0 + 70_000, t0 + 200_000);
    awaitCounts("win-final", Map.of("a@0", 2L, "b@60000", 1L));
    first.close(Duration.ofSeconds(30));

    MillraceStreams restarted = new MillraceStreams(topology.get(), p);
    restarted.cleanUp();
    track(restarted);
    restarted.start();
    awaitState(restarted, MillraceStreams.State.RUNNING, WAIT);
    var windows = restarted.store("win-counts", QueryableStoreTypes.<String, Long>windowStore());
    assertThat(windows.fetch("a", t0)).isEqualTo(2L);
    assertThat(windows.fetch("b", t0 + 180_000)).isEqualTo(1L);
    // stream time came back with the committed offsets (t0 + 200 s): a's first minute stays closed
    produceAt("win-in", "a", t0 + 10_000);
    produceAt("win-in", "c", t0 + 300_000);
    awaitCounts("win-final", Map.of("a@0", 2L, "b@60000", 1L, "b@180000", 1L));
    await(WAIT, () -> metric(restarted, "dropped-records-total") == 1.0,
        () -> "dropped " + metric(restarted, "dropped-records-total"));
    assertThat(windows.fetch("a", t0)).isEqualTo(2L);
  }

  private static void produceAt(String topic, String key, long... timestamps) {
    try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
        new StringSerializer(), new StringSerializer())) {
      for (long ts : timestamps) {
        p.send(new ProducerRecord<>(topic, 0, ts, key, "click"));
      }
      p.flush();
    }
  }

  @Test
  void consumedRepartitionRecordsArePurgedAfterCommits() throws Exception {
    StreamsItSupport.createTopics(broker, 1, "purge-in", "purge-out");
    Properties p = StreamsItSupport.streamsProps(broker, "purge", dir());
    p.put(StreamsConfig.REPARTITION_PURGE_INTERVAL_MS_CONFIG, "0");
    StreamsBuilder sb = new StreamsBuilder();
    sb.stream("purge-in", Consumed.with(Serdes.String(), Serdes.String()))
        .groupBy((k, v) -> v, io.millrace.streams.kstream.Grouped.with(Serdes.String(), Serdes.String()))
        .count(Materialized.as("by-value"))
        .toStream().to("purge-out", Produced.with(Serdes.String(), Serdes.Long()));
    start(sb.build(), p);
    produce("purge-in", 10, 20);
    Map<String, Long> expected = new HashMap<>();
    for (int i = 0; i < 20; i++) {
      expected.put("v" + i, 10L);
    }
    awaitCounts("purge-out", expected);
    org.apache.kafka.common.TopicPartition tp =
        new org.apache.kafka.common.TopicPartition("purge-by-value-repartition", 0);
    try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      await(WAIT, () -> {
        try {
          return admin.listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.earliest()))
              .partitionResult(tp).get().offset() > 0;
        } catch (Exception e) {
          return false;
        }
      }, () -> "the repartition topic's start offset did not move");
    }
  }

  @Test
  void aStateDirectoryIsNotSharedByTwoInstances() throws Exception {
    Path d = dir();
    Properties p = StreamsItSupport.streamsProps(broker, "shared-dir", d);
    MillraceStreams one = new MillraceStreams(counting("x", "y"), p);
    track(one);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MillraceStreams(counting("x", "y"), p))
        .hasMessageContaining("is in use by another instance");
    assertThat(KeyValue.pair(1, 2).key()).isEqualTo(1);
  }
}
