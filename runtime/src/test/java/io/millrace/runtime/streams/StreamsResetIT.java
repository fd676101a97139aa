package io.millrace.runtime.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.EmbeddedBroker;
import io.millrace.runtime.tools.ToolRunner;
import io.millrace.samples.WordCount;
import io.millrace.streams.MillraceStreams;
import io.millrace.streams.StreamsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code millrace streams reset} makes the word count start over and count the same again. */
class StreamsResetIT {
  @TempDir Path stateDir;

  @Test
  void aResetApplicationReprocessesItsInputFromTheStart() throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start(Map.of("group.initial.rebalance.delay.ms", "0",
        "group.min.session.timeout.ms", "1000", "offsets.topic.num.partitions", "1", "delete.topic.enable", "true"))) {
      String bootstrap = broker.bootstrapServers();
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
        admin.createTopics(List.of(new NewTopic(WordCount.INPUT_TOPIC, 1, (short) 1),
            new NewTopic(WordCount.OUTPUT_TOPIC, 1, (short) 1))).all().get();
      }
      try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
          new StringSerializer(), new StringSerializer())) {
        p.send(new ProducerRecord<>(WordCount.INPUT_TOPIC, "all streams lead to kafka"));
        p.send(new ProducerRecord<>(WordCount.INPUT_TOPIC, "hello kafka streams"));
      }
      Map<String, Long> truth = Map.of("all", 1L, "streams", 2L, "lead", 1L, "to", 1L, "kafka", 2L, "hello", 1L);

      MillraceStreams first = start(bootstrap);
      long outputAfterFirst;
      try {
        outputAfterFirst = awaitLatest(bootstrap, truth, 0);
        ToolRunner.Result refused = ToolRunner.run("streams", "reset", "WordCount", "--bootstrap-server", bootstrap);
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("still has 1 running stream thread(s)");
      } finally {
        first.close(Duration.ofSeconds(30));
      }

      ToolRunner.Result reset = ToolRunner.run("streams", "reset", "WordCount", "--bootstrap-server", bootstrap,
          "--state-dir", stateDir.toString());
      assertThat(reset.exitCode()).as(reset.toString()).isZero();
      assertThat(reset.out()).contains("Input streams-plaintext-input-0 rewound to offset 0",
          "Deleted internal topic streams-wordcount-counts-store-changelog",
          "Deleted internal topic streams-wordcount-counts-store-repartition");

      MillraceStreams second = start(bootstrap);
      try {
        // counted again from nothing: the same counts, reached through a second set of updates
        long total = awaitLatest(bootstrap, truth, outputAfterFirst + 1);
        assertThat(total).isGreaterThan(outputAfterFirst);
      } finally {
        second.close(Duration.ofSeconds(30));
      }
      ToolRunner.Result badTime = ToolRunner.run("streams", "reset", "WordCount", "--bootstrap-server", bootstrap,
          "--to-datetime", "yesterday");
      assertThat(badTime.exitCode()).isEqualTo(2);
    }
  }

  private MillraceStreams start(String bootstrap) {
    WordCount app = new WordCount();
    Properties p = app.defaults();
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "200");
    p.put(StreamsConfig.CONSUMER_PREFIX + "session.timeout.ms", "2000");
    p.put(StreamsConfig.CONSUMER_PREFIX + "heartbeat.interval.ms", "300");
    MillraceStreams s = new MillraceStreams(app.topology(p), p);
    s.start();
    return s;
  }

  /**
   * Reads the output from the start until the latest counts equal {@code truth} over at least
   * {@code minRecords} records; returns how many records there are.
   */
  private static long awaitLatest(String bootstrap, Map<String, Long> truth, long minRecords) {
    Map<String, Long> latest = new HashMap<>();
    long records = 0;
    try (KafkaConsumer<String, Long> c = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap),
        new StringDeserializer(), new LongDeserializer())) {
      TopicPartition tp = new TopicPartition(WordCount.OUTPUT_TOPIC, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!(latest.equals(truth) && records >= minRecords)) {
        assertThat(System.nanoTime()).as("counts " + latest + " after " + records + " records").isLessThan(deadline);
        for (ConsumerRecord<String, Long> r : c.poll(Duration.ofMillis(100))) {
          latest.put(r.key(), r.value());
          records++;
        }
      }
    }
    return records;
  }
}
