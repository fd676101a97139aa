package io.millrace.streams.bench;

import io.millrace.engine.EmbeddedBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;

/**
 * Word count throughput: Millrace Streams against Kafka Streams 4.4.0, the same topology on the
 * same input against the same broker, passes alternating in one run.
 *
 * <p>The input ({@code bench.lines} lines of {@code bench.words} words from a vocabulary of
 * {@code bench.vocabulary}) is produced once. Each pass starts a fresh application (new id, so it
 * reads everything from the start), waits until it is RUNNING, and times until its group has
 * committed the end of the input and of its repartition topic: every line counted. Both run one
 * stream thread, a 1 s commit interval and a 10 MB record cache. Each pass checks the output's
 * final counts against the truth.
 *
 * <p>Properties: {@code bench.bootstrap} (an external broker; default: an embedded Millrace
 * broker in this JVM), {@code bench.passes} (3), {@code bench.lines} (200000), {@code
 * bench.words} (10), {@code bench.vocabulary} (10000), {@code bench.partitions} (3), {@code
 * bench.threads} (1), {@code bench.systems} ({@code millrace,kafka}).
 */
public final class WordCountBenchmark {
  private static final String INPUT = "bench-wordcount-input";

  private final String bootstrap;
  private final int lines;
  private final int partitions;
  private final int threads;
  private final Map<String, Long> truth = new HashMap<>();
  private long words;

  private WordCountBenchmark(String bootstrap, int lines, int partitions, int threads) {
    this.bootstrap = bootstrap;
    this.lines = lines;
    this.partitions = partitions;
    this.threads = threads;
  }

  public static void main(String[] args) throws Exception {
    String external = System.getProperty("bench.bootstrap");
    int passes = Integer.getInteger("bench.passes", 3);
    int lines = Integer.getInteger("bench.lines", 200_000);
    int wordsPerLine = Integer.getInteger("bench.words", 10);
    int vocabulary = Integer.getInteger("bench.vocabulary", 10_000);
    int partitions = Integer.getInteger("bench.partitions", 3);
    int threads = Integer.getInteger("bench.threads", 1);
    List<String> systems = List.of(System.getProperty("bench.systems", "millrace,kafka").split(","));
    EmbeddedBroker broker = external == null ? EmbeddedBroker.start(Map.of(
        "group.initial.rebalance.delay.ms", "0", "offsets.topic.num.partitions", "3")) : null;
    String bootstrap = external != null ? external : broker.bootstrapServers();
    try {
      WordCountBenchmark b = new WordCountBenchmark(bootstrap, lines, partitions, threads);
      System.out.printf("broker %s%s, %d lines x %d words (vocabulary %d), %d partitions, %d thread(s)%n",
          bootstrap, external == null ? " (embedded Millrace)" : "", lines, wordsPerLine, vocabulary, partitions,
          threads);
      b.produceInput(wordsPerLine, vocabulary);
      List<Double> millrace = new ArrayList<>();
      List<Double> kafka = new ArrayList<>();
      for (int pass = 1; pass <= passes; pass++) {
        for (String system : systems) {
          double rate = b.pass(system, pass);
          (system.equals("millrace") ? millrace : kafka).add(rate);
        }
      }
      if (millrace.isEmpty() || kafka.isEmpty()) {
        return;
      }
      double m = BenchSupport.median(millrace);
      double k = BenchSupport.median(kafka);
      System.out.printf("RESULT wordcount millrace %.0f lines/s (%.0f words/s), kafka-streams %.0f lines/s"
          + " (%.0f words/s), ratio millrace/kafka %.2f%n", m, m * b.words / lines, k, k * b.words / lines, m / k);
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }

  private void produceInput(int wordsPerLine, int vocabulary) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(INPUT, partitions, (short) 1))).all().get();
    }
    Random random = new Random(42);
    String[] vocab = new String[vocabulary];
    for (int i = 0; i < vocabulary; i++) {
      vocab[i] = "word" + Integer.toString(i, 36);
    }
    long start = System.nanoTime();
    try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
        "linger.ms", "20", "batch.size", "262144"), new StringSerializer(), new StringSerializer())) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < lines; i++) {
        sb.setLength(0);
        for (int w = 0; w < wordsPerLine; w++) {
          // a skewed vocabulary, as text is: half the words from the 1% most frequent
          int idx = random.nextBoolean() ? random.nextInt(Math.max(1, vocabulary / 100)) : random.nextInt(vocabulary);
          String word = vocab[idx];
          truth.merge(word, 1L, Long::sum);
          words++;
          sb.append(w == 0 ? "" : " ").append(word);
        }
        p.send(new ProducerRecord<>(INPUT, Integer.toString(i), sb.toString()));
      }
      p.flush();
    }
    System.out.printf("input: %d lines, %d words, %d distinct, produced in %.1f s%n", lines, words, truth.size(),
        (System.nanoTime() - start) / 1e9);
  }

  /** One pass of one system; returns lines per second from RUNNING to all input committed. */
  private double pass(String system, int pass) throws Exception {
    String appId = "bench-" + system + "-" + pass + "-" + System.nanoTime();
    String output = appId + "-output";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(output, partitions, (short) 1))).all().get();
    }
    Path stateDir = Files.createTempDirectory("bench-state");
    Properties props = new Properties();
    props.put("application.id", appId);
    props.put("bootstrap.servers", bootstrap);
    props.put("state.dir", stateDir.toString());
    props.put("num.stream.threads", Integer.toString(threads));
    props.put("commit.interval.ms", "1000");
    props.put("statestore.cache.max.bytes", Long.toString(10L * 1024 * 1024));
    props.put("auto.offset.reset", "earliest");
    BenchSupport.Runner runner = system.equals("millrace") ? BenchSupport.millrace(millraceTopology(output), props)
        : BenchSupport.kafka(kafkaTopology(output), props);
    long started = System.nanoTime();
    runner.start();
    BenchSupport.await(Duration.ofMinutes(2), runner::running, system + " reaching RUNNING");
    long running = System.nanoTime();
    String repartition = appId + "-counts-store-repartition";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      BenchSupport.await(Duration.ofMinutes(10), () -> done(admin, appId, repartition), system + " consuming all input");
    }
    long finished = System.nanoTime();
    runner.close();
    double seconds = (finished - running) / 1e9;
    double rate = lines / seconds;
    boolean correct = outputMatchesTruth(output);
    System.out.printf("pass %d %-8s %6.2f s processing (%5.2f s to RUNNING) %9.0f lines/s %10.0f words/s  counts %s%n",
        pass, system, seconds, (running - started) / 1e9, rate, rate * words / lines, correct ? "correct" : "WRONG");
    io.millrace.streams.internals.state.StateDirectories.deleteRecursively(stateDir.toFile());
    if (!correct) {
      throw new IllegalStateException(system + " produced wrong counts");
    }
    return rate;
  }

  /** True once the group has committed the end of the input and of the repartition topic. */
  private boolean done(Admin admin, String group, String repartition) {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        ends.put(new TopicPartition(INPUT, p), OffsetSpec.latest());
        ends.put(new TopicPartition(repartition, p), OffsetSpec.latest());
      }
      var endOffsets = admin.listOffsets(ends).all().get();
      for (var e : endOffsets.entrySet()) {
        OffsetAndMetadata c = committed.get(e.getKey());
        if (e.getValue().offset() > 0 && (c == null || c.offset() < e.getValue().offset())) {
          return false;
        }
      }
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private boolean outputMatchesTruth(String output) {
    Map<String, Long> latest = new HashMap<>();
    try (KafkaConsumer<String, Long> c = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
        "auto.offset.reset", "earliest", "max.poll.records", "5000"), new StringDeserializer(), new LongDeserializer())) {
      List<TopicPartition> tps = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        tps.add(new TopicPartition(output, p));
      }
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> end = c.endOffsets(tps);
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, Long> r : c.poll(Duration.ofMillis(200))) {
          latest.put(r.key(), r.value());
        }
      }
    }
    return latest.equals(truth);
  }

  private static io.millrace.streams.Topology millraceTopology(String output) {
    io.millrace.streams.StreamsBuilder builder = new io.millrace.streams.StreamsBuilder();
    builder.stream(INPUT, io.millrace.streams.kstream.Consumed.with(Serdes.String(), Serdes.String()))
        .flatMapValues(value -> Arrays.asList(value.toLowerCase(Locale.ROOT).split("\\W+")))
        .groupBy((key, value) -> value, io.millrace.streams.kstream.Grouped.with(Serdes.String(), Serdes.String()))
        .count(io.millrace.streams.kstream.Materialized.<String, Long, io.millrace.streams.state.KeyValueStore<Bytes, byte[]>>as("counts-store"))
        .toStream()
        .to(output, io.millrace.streams.kstream.Produced.with(Serdes.String(), Serdes.Long()));
    return builder.build();
  }

  private static org.apache.kafka.streams.Topology kafkaTopology(String output) {
    org.apache.kafka.streams.StreamsBuilder builder = new org.apache.kafka.streams.StreamsBuilder();
    builder.stream(INPUT, org.apache.kafka.streams.kstream.Consumed.with(Serdes.String(), Serdes.String()))
        .flatMapValues(value -> Arrays.asList(value.toLowerCase(Locale.ROOT).split("\\W+")))
        .groupBy((key, value) -> value, org.apache.kafka.streams.kstream.Grouped.with(Serdes.String(), Serdes.String()))
        .count(org.apache.kafka.streams.kstream.Materialized.<String, Long, org.apache.kafka.streams.state.KeyValueStore<Bytes, byte[]>>as("counts-store"))
        .toStream()
        .to(output, org.apache.kafka.streams.kstream.Produced.with(Serdes.String(), Serdes.Long()));
    return builder.build();
  }
}
