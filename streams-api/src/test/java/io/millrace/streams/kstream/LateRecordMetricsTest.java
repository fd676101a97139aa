package io.millrace.streams.kstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.streams.StreamsBuilder;
import io.millrace.streams.testing.TestInputTopic;
import io.millrace.streams.testing.TopologyTestDriver;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Late records are counted apart from other drops, in every kind of window; processing is timed. */
class LateRecordMetricsTest {
  private static final Consumed<String, String> STRINGS = Consumed.with(Serdes.String(), Serdes.String());

  private static void pipe(TopologyTestDriver d, long... timestamps) {
    TestInputTopic<String, String> in = d.createInputTopic("in", new StringSerializer(), new StringSerializer());
    for (long ts : timestamps) {
      in.pipeInput("k", "v", ts);
    }
  }

  @Test
  void tumblingWindowCountsTheLateRecordAndNotTheNullKey() {
    StreamsBuilder b = new StreamsBuilder();
    b.stream("in", STRINGS).groupByKey()
        .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMillis(10), Duration.ofMillis(5))).count();
    try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
      pipe(d, 0, 3, 12, 8, 20, 9);
      d.createInputTopic("in", new StringSerializer(), new StringSerializer()).pipeInput(null, "v", 21);
      assertThat(d.metricTotal("dropped-records-total")).isEqualTo(2.0);
      assertThat(d.metricTotal("late-records-dropped-total")).isEqualTo(1.0);
      assertThat(d.metricTotal("process-total")).isEqualTo(7.0);
      assertThat(d.metricTotal("process-latency-max")).isPositive();
    }
  }

  @Test
  void slidingSessionAndJoinWindowsCountLateRecords() {
    StreamsBuilder b = new StreamsBuilder();
    b.stream("in", STRINGS).groupByKey()
        .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(Duration.ofMillis(10), Duration.ofMillis(0))).count();
    try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
      pipe(d, 100, 50);
      assertThat(d.metricTotal("late-records-dropped-total")).isEqualTo(1.0);
    }
    b = new StreamsBuilder();
    b.stream("in", STRINGS).groupByKey()
        .windowedBy(SessionWindows.ofInactivityGapAndGrace(Duration.ofMillis(5), Duration.ofMillis(0))).count();
    try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
      pipe(d, 100, 50);
      assertThat(d.metricTotal("late-records-dropped-total")).isEqualTo(1.0);
    }
    b = new StreamsBuilder();
    KStream<String, String> left = b.stream("in", STRINGS);
    KStream<String, String> right = b.stream("other", STRINGS);
    left.join(right, (l, r) -> l + r, JoinWindows.ofTimeDifferenceAndGrace(Duration.ofMillis(5), Duration.ofMillis(0)),
            StreamJoined.with(Serdes.String(), Serdes.String(), Serdes.String()))
        .to("out", Produced.with(Serdes.String(), Serdes.String()));
    try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
      pipe(d, 100, 50);
      assertThat(d.metricTotal("late-records-dropped-total")).isEqualTo(1.0);
    }
  }
}
