package io.millrace.streams.it;

import static io.millrace.streams.it.StreamsItSupport.await;
import static io.millrace.streams.it.StreamsItSupport.awaitState;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.millrace.engine.EmbeddedBroker;
import io.millrace.engine.metrics.ScrapedMetrics;
import io.millrace.streams.MillraceStreams;
import io.millrace.streams.StreamsBuilder;
import io.millrace.streams.StreamsMeterBinder;
import io.millrace.streams.internals.state.StateDirectories;
import io.millrace.streams.kstream.Consumed;
import io.millrace.streams.kstream.Produced;
import io.millrace.streams.kstream.TimeWindows;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A windowed count on a live broker, its series scraped from a Prometheus registry: processed
 * records equal the records produced, the late one counted as late, commits, state, tasks.
 */
class StreamsMeterBinderIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  static EmbeddedBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = StreamsItSupport.broker();
    StreamsItSupport.createTopics(broker, 2, "clicks", "clicks-per-window");
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void seriesFollowTheApplication() throws Exception {
    StreamsBuilder b = new StreamsBuilder();
    b.stream("clicks", Consumed.with(Serdes.String(), Serdes.String())).groupByKey()
        .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMillis(10), Duration.ofMillis(5))).count()
        .toStream().map((wk, v) -> io.millrace.streams.KeyValue.pair(wk.key(), v))
        .to("clicks-per-window", Produced.with(Serdes.String(), Serdes.Long()));
    Path dir = StreamsItSupport.tempDir("binder-it");
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MillraceStreams streams = new MillraceStreams(b.build(), StreamsItSupport.streamsProps(broker, "click-counter", dir));
    StreamsMeterBinder binder = new StreamsMeterBinder(streams);
    binder.bindTo(registry);
    try {
      ScrapedMetrics m = ScrapedMetrics.parse(registry.scrape());
      assertThat(m.value("millrace_streams_state", "application_id", "click-counter", "state", "CREATED")).hasValue(1);
      streams.start();
      awaitState(streams, MillraceStreams.State.RUNNING, WAIT);
      // Partition 0: one key, timestamps 0, 3, 12, 8, 20, 9 -> 9 is late (window [0,10) closed at 15).
      try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of("bootstrap.servers",
          broker.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
        for (long ts : new long[] {0, 3, 12, 8, 20, 9}) {
          p.send(new ProducerRecord<>("clicks", 0, ts, "k", "v")).get();
        }
        p.send(new ProducerRecord<>("clicks", 1, 0L, "other", "v")).get();
      }
      await(WAIT, () -> ScrapedMetrics.parse(registry.scrape())
          .sum("millrace_streams_task_processed_records_total", "application_id", "click-counter") == 7,
          () -> registry.scrape());
      m = ScrapedMetrics.parse(registry.scrape());
      assertThat(m.sum("millrace_streams_task_late_dropped_records_total")).isEqualTo(1);
      assertThat(m.sum("millrace_streams_task_dropped_records_total")).isEqualTo(1);
      assertThat(m.find("millrace_streams_task_processed_records_total")).hasSize(2)
          .allMatch(s -> s.labels().containsKey("task") && s.labels().containsKey("thread"));
      assertThat(m.find("millrace_streams_task_process_latency_max_seconds")).hasSize(2);
      assertThat(m.value("millrace_streams_state", "state", "RUNNING")).hasValue(1);
      assertThat(m.value("millrace_streams_state", "state", "CREATED")).hasValue(0);
      assertThat(m.value("millrace_streams_tasks", "type", "active")).hasValue(2);
      assertThat(m.value("millrace_streams_threads")).hasValue(1);
      await(WAIT, () -> ScrapedMetrics.parse(registry.scrape()).sum("millrace_streams_thread_commits_total") > 0,
          () -> "no commit yet");
      m = ScrapedMetrics.parse(registry.scrape());
      assertThat(m.find("millrace_streams_thread_commit_latency_avg_seconds")).hasSize(1);
      assertThat(m.find("millrace_streams_thread_restored_records_total")).hasSize(1);
      assertThat(m.value("millrace_streams_thread_restore_remaining_records")).hasValue(0);
    } finally {
      streams.close(Duration.ofSeconds(30));
      binder.close();
      StateDirectories.deleteRecursively(dir.toFile());
    }
    ScrapedMetrics after = ScrapedMetrics.parse(registry.scrape());
    assertThat(after.names()).noneMatch(n -> n.startsWith("millrace_streams_"));
  }
}
